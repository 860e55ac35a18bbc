import type { Signal } from '../records.ts';
import type { ExportItems } from './export-items.ts';
import { HttpError } from './http-error.ts';
import { parseOtlpJson } from './json-body.ts';
import { jsonItems } from './json-items.ts';
import { protobufItems } from './protobuf-items.ts';

/** The two OTLP/HTTP encodings. */
export type BodyFormat = 'protobuf' | 'json';

/**
 * Reads the envelope of an export request (resources, scopes, metrics) and returns its items,
 * each to be decoded with the official schema on its own.
 * @throws {HttpError} 400 when the body is not a well-formed request.
 */
export function readExport(signal: Signal, format: BodyFormat, body: Uint8Array): ExportItems {
  try {
    if (format === 'protobuf') return protobufItems(signal, body);
    return jsonItems(signal, parseOtlpJson(Buffer.from(body).toString('utf8')));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, `malformed ${format} body: ${reason}`, { cause: error });
  }
}
