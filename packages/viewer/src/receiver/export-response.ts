import type { Signal } from '../records.ts';
import type { BodyFormat } from './decode-export.ts';
import { loadOtlpSchema } from './otlp-schema.ts';
import type { RejectionLog } from './rejection-log.ts';

const rejectedField = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
} as const;

/** The `Export*ServiceResponse` body for a stored request, with `partial_success` when needed. */
export function exportResponse(
  signal: Signal,
  rejections: RejectionLog,
  format: BodyFormat,
): Uint8Array | string {
  const rejected = rejections.count;
  const errorMessage = rejections.message();
  const partialSuccess =
    rejected > 0 ? { [rejectedField[signal]]: rejected, errorMessage } : undefined;
  if (format === 'json') {
    // int64 counts are decimal strings in proto3 JSON.
    return JSON.stringify(
      partialSuccess
        ? { partialSuccess: { [rejectedField[signal]]: String(rejected), errorMessage } }
        : {},
    );
  }
  const type = loadOtlpSchema()[signal].response;
  return type.encode(type.fromObject(partialSuccess ? { partialSuccess } : {})).finish();
}

// HTTP status → google.rpc.Code, for the `Status` body of a refusal.
const rpcCodes: Record<number, number> = { 400: 3, 405: 12, 413: 8, 415: 3, 500: 13, 503: 14 };

/** The `google.rpc.Status` body for a refused request. */
export function statusBody(
  httpStatus: number,
  message: string,
  format: BodyFormat,
): Uint8Array | string {
  const status = { code: rpcCodes[httpStatus] ?? 2, message };
  if (format === 'json') return JSON.stringify(status);
  const type = loadOtlpSchema().status;
  return type.encode(type.fromObject(status)).finish();
}
