import type { PackedList, PackedValue } from '../format/packed-value.ts';
import type { Accepted, LogRecordRow } from '../records.ts';
import { type DecodedAnyValue, type DecodedKeyValue, packList, packValue } from './any-value.ts';
import { isValidId, toHex } from './hex.ts';
import { type LongLike, toBigInt } from './long-value.ts';
import { type DecodedResource, type DecodedScope, resourceOrigin, scopeOrigin } from './origin.ts';
import { RejectionLog } from './rejection-log.ts';
import { scalarText } from './search-terms.ts';

/** A decoded `ExportLogsServiceRequest`. */
export interface DecodedLogsRequest {
  resourceLogs?:
    | {
        resource?: DecodedResource | null;
        scopeLogs?:
          | { scope?: DecodedScope | null; logRecords?: DecodedLog[] | null; schemaUrl?: string }[]
          | null;
        schemaUrl?: string | null;
      }[]
    | null;
}

interface DecodedLog {
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

/** Validates the log records of a decoded request and converts the valid ones to rows. */
export function toLogRecords(
  request: DecodedLogsRequest,
  rejections = new RejectionLog('log record'),
): Accepted<LogRecordRow> {
  const records: LogRecordRow[] = [];
  for (const group of request.resourceLogs ?? []) {
    const resource = resourceOrigin(group.resource, group.schemaUrl);
    for (const scopeGroup of group.scopeLogs ?? []) {
      const scope = scopeOrigin(scopeGroup.scope, scopeGroup.schemaUrl);
      for (const log of scopeGroup.logRecords ?? []) {
        const traceId = toHex(log.traceId);
        const spanId = toHex(log.spanId);
        if (traceId !== '' && !isValidId(traceId, 16)) {
          rejections.add('', `invalid trace id "${traceId}" (want 16 non-zero bytes or none)`);
          continue;
        }
        if (spanId !== '' && !isValidId(spanId, 8)) {
          rejections.add('', `invalid span id "${spanId}" (want 8 non-zero bytes or none)`);
          continue;
        }
        const body = packValue(log.body);
        const attributes = packList(log.attributes);
        records.push({
          timeNs: toBigInt(log.timeUnixNano),
          observedTimeNs: toBigInt(log.observedTimeUnixNano),
          severityNumber: log.severityNumber ?? 0,
          severityText: log.severityText ?? '',
          body: JSON.stringify(body),
          attributes: JSON.stringify(attributes),
          traceId,
          spanId,
          flags: log.flags ?? 0,
          eventName: log.eventName ?? '',
          droppedAttributesCount: log.droppedAttributesCount ?? 0,
          resource,
          scope,
          text: searchText(body, attributes),
        });
      }
    }
  }
  return { records, rejected: rejections.count, errorMessage: rejections.message() };
}

// The body, then one `key=value` line per attribute: what the log search looks through.
function searchText(body: PackedValue, attributes: PackedList): string {
  const lines = [scalarText(body) ?? (body === null ? '' : JSON.stringify(body))];
  for (let i = 0; i + 1 < attributes.length; i += 2) {
    const value = attributes[i + 1] as PackedValue;
    lines.push(`${attributes[i]}=${scalarText(value) ?? JSON.stringify(value)}`);
  }
  return lines.join('\n');
}
