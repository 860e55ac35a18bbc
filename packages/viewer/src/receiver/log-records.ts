import type { PackedList, PackedValue } from '../format/packed-value.ts';
import type { LogRecordRow } from '../records.ts';
import { type DecodedAnyValue, type DecodedKeyValue, packList, packValue } from './any-value.ts';
import { isValidId, toHex } from './hex.ts';
import { type ItemRules, timeProblem } from './item-rules.ts';
import { type LongLike, toBigInt } from './long-value.ts';
import type { GroupOrigins } from './origin.ts';
import type { RejectionLog } from './rejection-log.ts';
import { scalarText } from './search-terms.ts';

/** A decoded `LogRecord`. */
export interface DecodedLog {
  timeUnixNano?: LongLike | null;
  observedTimeUnixNano?: LongLike | null;
  severityNumber?: number | null;
  severityText?: string | null;
  body?: DecodedAnyValue | null;
  attributes?: DecodedKeyValue[] | null;
  droppedAttributesCount?: number | null;
  flags?: number | null;
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  eventName?: string | null;
}

/**
 * Converts one decoded log record to its row, or records in `rejections` why it is refused (an
 * invalid id, a time the store cannot hold or retention would remove).
 */
export function toLogRecord(
  log: DecodedLog,
  origins: GroupOrigins,
  rules: ItemRules,
  rejections: RejectionLog,
): LogRecordRow | undefined {
  const label = log.eventName ?? '';
  const traceId = toHex(log.traceId);
  const spanId = toHex(log.spanId);
  if (traceId !== '' && !isValidId(traceId, 16)) {
    const reason = `invalid trace id "${traceId}" (want 16 non-zero bytes or none)`;
    rejections.add(label, reason, 'an invalid id');
    return undefined;
  }
  if (spanId !== '' && !isValidId(spanId, 8)) {
    rejections.add(
      label,
      `invalid span id "${spanId}" (want 8 non-zero bytes or none)`,
      'an invalid id',
    );
    return undefined;
  }
  const timeNs = toBigInt(log.timeUnixNano);
  const observedTimeNs = toBigInt(log.observedTimeUnixNano);
  // A record's time is when it happened, else when it was observed.
  const age: [string, bigint] =
    timeNs !== 0n ? ['timeUnixNano', timeNs] : ['observedTimeUnixNano', observedTimeNs];
  const late = timeProblem(
    rules,
    { timeUnixNano: timeNs, observedTimeUnixNano: observedTimeNs },
    age,
  );
  if (late) {
    rejections.add(label, late.reason, late.kind);
    return undefined;
  }
  const body = packValue(log.body);
  const attributes = packList(log.attributes);
  const eventName = log.eventName ?? '';
  return {
    timeNs,
    observedTimeNs,
    severityNumber: log.severityNumber ?? 0,
    severityText: log.severityText ?? '',
    body: JSON.stringify(body),
    attributes: JSON.stringify(attributes),
    traceId,
    spanId,
    flags: log.flags ?? 0,
    eventName,
    droppedAttributesCount: log.droppedAttributesCount ?? 0,
    resource: origins.resource,
    scope: origins.scope,
    text: searchText(eventName, body, attributes),
  };
}

// The event name, the body, then one `key=value` line per attribute: what the log search looks
// through.
function searchText(eventName: string, body: PackedValue, attributes: PackedList): string {
  const lines = [scalarText(body) ?? (body === null ? '' : JSON.stringify(body))];
  if (eventName) lines.push(eventName);
  for (let i = 0; i + 1 < attributes.length; i += 2) {
    const value = attributes[i + 1] as PackedValue;
    lines.push(`${attributes[i]}=${scalarText(value) ?? JSON.stringify(value)}`);
  }
  return lines.join('\n');
}
