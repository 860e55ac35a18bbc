import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExportBatch, Signal } from '../records.ts';
import { BodyBudget } from './body-budget.ts';
import { type BodyFormat, readExport } from './decode-export.ts';
import type { ExportItems } from './export-items.ts';
import { itemNouns, toExportBatch } from './export-records.ts';
import { exportResponse, statusBody } from './export-response.ts';
import { HttpError, isHttpError } from './http-error.ts';
import { itemRules } from './item-rules.ts';
import { readBody } from './read-body.ts';
import type { Refusal } from './refusal-reporter.ts';
import { RejectionLog } from './rejection-log.ts';

/** Options of {@link createReceiver}. */
export interface ReceiverOptions {
  /** Largest accepted body, after decompression, in bytes. */
  maxBodyBytes: number;
  /** Items older than this many milliseconds are refused: retention would remove them. */
  maxAgeMs: number;
  /** Stores records of a request, a slice at a time; the response is sent once all are stored. */
  ingest: (batch: ExportBatch) => Promise<void>;
  /**
   * Runs a piece of a request's work (reading its envelope, converting a slice) in a turn of the
   * ingest work, so that a large request never holds the event loop for long.
   * @default runs it on the next turn of the event loop
   */
  schedule?: <T>(task: () => T) => Promise<T>;
  /**
   * Items of a large export converted and stored at a time; an export of up to 512 items is
   * converted and stored whole. @default 128
   */
  sliceSize?: number;
  /** Reports an unexpected failure (a bug or a storage error), never a refused request. */
  onError?: (error: unknown) => void;
  /** Told of every refused request and refused item. */
  onRefusal?: (refusal: Refusal) => void;
  /**
   * Bytes of request bodies held in memory at once, decompressed; a body that would pass them
   * gets 503 with `Retry-After`.
   * @default 64 MiB, or twice `maxBodyBytes` when that is more
   */
  maxBufferedBytes?: number;
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

const nextTurn = <T>(task: () => T) =>
  new Promise<void>((resolve) => setImmediate(resolve)).then(task);

/**
 * Creates the OTLP/HTTP receiver for `/v1/traces`, `/v1/logs` and `/v1/metrics`. Each item is
 * decoded and checked on its own: one that cannot be stored is refused through
 * `partial_success`, never failing the others; a request is stored in slices, and a storage
 * error answers 503 with `Retry-After`.
 */
export function createReceiver(options: ReceiverOptions): OtlpHandler {
  const maxConcurrent = options.maxConcurrentRequests ?? 16;
  const schedule = options.schedule ?? nextTurn;
  const sliceSize = options.sliceSize ?? 128;
  // An exporter's usual batch (512 spans) is converted in one task: slicing it costs ingest.
  const wholeUpTo = Math.max(sliceSize, 512);
  const budget = new BodyBudget(
    options.maxBufferedBytes ?? Math.max(64 * 1024 * 1024, 2 * options.maxBodyBytes),
  );
  let inFlight = 0;
  return async (signal, request, response) => {
    let format: BodyFormat = 'json';
    let counted = false;
    let held = 0;
    const peer = peerOf(request);
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
      const body = await readBody(request, options.maxBodyBytes, budget);
      held = body.length;
      const rejections = new RejectionLog(itemNouns[signal]);
      const rules = itemRules(options.maxAgeMs);
      // A small export is read and converted in one task; a large one slice after slice.
      let items: ExportItems | undefined;
      let first: ExportBatch | undefined;
      await schedule(() => {
        items = readExport(signal, format, body);
        if (items.count <= wholeUpTo)
          first = toExportBatch(items, 0, items.count, rules, rejections);
      });
      const all = items!;
      const step = first ? all.count : sliceSize;
      for (let from = 0; from < all.count; from += step) {
        const to = Math.min(from + step, all.count);
        const batch =
          first ?? (await schedule(() => toExportBatch(all, from, to, rules, rejections)));
        try {
          if (batch.records.length > 0) await options.ingest(batch);
        } catch (error) {
          options.onError?.(error);
          response.setHeader('Retry-After', '5');
          const reason = error instanceof Error ? error.message : String(error);
          throw new HttpError(503, `the viewer could not store this export (${reason}); retry`);
        }
      }
      for (const [kind, { count, example }] of rejections.kinds()) {
        options.onRefusal?.({
          kind: `${rejections.noun}: ${kind}`,
          count,
          noun: rejections.noun,
          peer,
          example,
        });
      }
      send(response, 200, format, exportResponse(signal, rejections, format));
    } catch (error) {
      if (!isHttpError(error)) options.onError?.(error);
      const status = isHttpError(error) ? error.status : 500;
      const message = isHttpError(error) ? error.message : 'internal error while storing telemetry';
      options.onRefusal?.({
        kind: `${status} ${signal}`,
        count: 1,
        noun: `/v1/${signal} request`,
        peer,
        example: `${status} ${message}`,
      });
      if (status === 503 && !response.hasHeader('Retry-After')) {
        response.setHeader('Retry-After', '1');
      }
      if (!request.complete) closeAfterResponse(request, response);
      send(response, status, format, statusBody(status, message, format));
    } finally {
      if (counted) inFlight--;
      budget.give(held);
    }
  };
}

/** The sender of a request as a refusal names it: its address, and its User-Agent if any. */
export function peerOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? 'unknown address';
  const agent = request.headers['user-agent'];
  return agent ? `${address} (${agent.slice(0, 80)})` : address;
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
