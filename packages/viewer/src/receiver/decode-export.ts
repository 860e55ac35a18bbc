import type { ExportBatch, Signal } from '../records.ts';
import { HttpError } from './http-error.ts';
import { refuseMalformedInt64 } from './int64-check.ts';
import { parseOtlpJson } from './json-body.ts';
import { convertHexIds } from './json-ids.ts';
import { type DecodedLogsRequest, toLogRecords } from './log-records.ts';
import { type DecodedMetricsRequest, toMetricPointRecords } from './metric-records.ts';
import { loadOtlpSchema } from './otlp-schema.ts';
import { RejectionLog } from './rejection-log.ts';
import { type DecodedTraceRequest, toSpanRecords } from './span-records.ts';

/** The two OTLP/HTTP encodings. */
export type BodyFormat = 'protobuf' | 'json';

/**
 * Decodes an export request body with the official schema and validates its items.
 * @throws {HttpError} 400 when the body is not a well-formed request.
 */
export function decodeExport(signal: Signal, format: BodyFormat, body: Uint8Array): ExportBatch {
  const type = loadOtlpSchema()[signal].request;
  let message: unknown;
  const rejections = new RejectionLog(nouns[signal]);
  try {
    if (format === 'protobuf') {
      message = type.decode(body);
    } else {
      const parsed = parseOtlpJson(Buffer.from(body).toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new TypeError('the body is not a JSON object');
      }
      refuseMalformedInt64(signal, parsed as Record<string, unknown>, rejections);
      convertHexIds(signal, parsed);
      message = type.fromObject(parsed);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, `malformed ${format} body: ${reason}`, { cause: error });
  }
  try {
    return toBatch(signal, message, rejections);
  } catch (error) {
    // The schema admits shapes the converters cannot make sense of; that is the sender's fault too.
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, `invalid ${signal} request: ${reason}`, { cause: error });
  }
}

const nouns: Record<Signal, string> = {
  traces: 'span',
  logs: 'log record',
  metrics: 'data point',
};

function toBatch(signal: Signal, message: unknown, rejections: RejectionLog): ExportBatch {
  if (signal === 'traces') {
    return { signal, accepted: toSpanRecords(message as DecodedTraceRequest, rejections) };
  }
  if (signal === 'logs') {
    return { signal, accepted: toLogRecords(message as DecodedLogsRequest, rejections) };
  }
  return { signal, accepted: toMetricPointRecords(message as DecodedMetricsRequest, rejections) };
}
