import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExportBatch, Signal } from '../records.ts';
import { type BodyFormat, decodeExport } from './decode-export.ts';
import { exportResponse, statusBody } from './export-response.ts';
import { HttpError, isHttpError } from './http-error.ts';
import { readBody } from './read-body.ts';

/** Options of {@link createReceiver}. */
export interface ReceiverOptions {
  /** Largest accepted body, after decompression, in bytes. */
  maxBodyBytes: number;
  /** Stores a decoded batch; the response is sent once this settles. */
  ingest: (batch: ExportBatch) => Promise<void>;
  /** Reports an unexpected failure (a bug or a storage error), never a refused request. */
  onError?: (error: unknown) => void;
  /**
   * Requests read at once; more get 503 with `Retry-After`, so that many slow uploads cannot
   * hold more than this many bodies (of up to `maxBodyBytes`) in memory.
   * @default 16
   */
  maxConcurrentRequests?: number;
}

/** Handles `POST /v1/{signal}`. Never rejects: every failure becomes a response. */
export type OtlpHandler = (
  signal: Signal,
  request: IncomingMessage,
  response: ServerResponse,
) => Promise<void>;

const mediaTypes: Record<string, BodyFormat | undefined> = {
  'application/x-protobuf': 'protobuf',
  'application/json': 'json',
};

const contentTypes: Record<BodyFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

// A refused upload is drained for at most this long before its connection is cut.
const drainMs = 5_000;

/** Creates the OTLP/HTTP receiver for `/v1/traces`, `/v1/logs` and `/v1/metrics`. */
export function createReceiver(options: ReceiverOptions): OtlpHandler {
  const maxConcurrent = options.maxConcurrentRequests ?? 16;
  let inFlight = 0;
  return async (signal, request, response) => {
    let format: BodyFormat = 'json';
    let counted = false;
    try {
      if (request.method !== 'POST') {
        response.setHeader('Allow', 'POST');
        throw new HttpError(405, `${request.method} is not allowed; use POST`);
      }
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const requested = mediaTypes[mediaType];
      if (!requested) {
        throw new HttpError(
          415,
          `unsupported content type "${mediaType}"; use ${Object.keys(mediaTypes).join(' or ')}`,
        );
      }
      format = requested;
      if (inFlight >= maxConcurrent) {
        response.setHeader('Retry-After', '1');
        throw new HttpError(503, `more than ${maxConcurrent} exports at once; retry shortly`);
      }
      inFlight++;
      counted = true;
      const body = await readBody(request, options.maxBodyBytes);
      const batch = decodeExport(signal, format, body);
      await options.ingest(batch);
      send(response, 200, format, exportResponse(batch, format));
    } catch (error) {
      if (!isHttpError(error)) options.onError?.(error);
      const status = isHttpError(error) ? error.status : 500;
      const message = isHttpError(error) ? error.message : 'internal error while storing telemetry';
      if (!request.complete) closeAfterResponse(request, response);
      send(response, status, format, statusBody(status, message, format));
    } finally {
      if (counted) inFlight--;
    }
  };
}

function send(
  response: ServerResponse,
  status: number,
  format: BodyFormat,
  body: Uint8Array | string,
): void {
  if (response.headersSent) return;
  response.writeHead(status, {
    'Content-Type': contentTypes[format],
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

// The client may still be uploading (a bomb, an oversized body): answer, then read and discard
// what follows so that the answer is not lost to a reset connection, and cut the connection if
// the upload does not stop soon. (`Connection: close` would make Node.js close at once, and the
// client, still writing, could fail with EPIPE before reading the answer.)
function closeAfterResponse(request: IncomingMessage, response: ServerResponse): void {
  response.once('finish', () => {
    request.resume();
    const timer = setTimeout(() => request.socket.destroy(), drainMs);
    timer.unref();
    request.once('end', () => clearTimeout(timer));
    request.socket.once('close', () => clearTimeout(timer));
  });
}
