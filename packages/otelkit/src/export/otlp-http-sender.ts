import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { VERSION } from '../internal/version.ts';
import { type AttemptResult, fromNetworkError, fromResponse, timedOut } from './attempt-result.ts';
import { notFoundHint } from './endpoint-hint.ts';

const gzipAsync = promisify(gzip);

/** Error bodies are read only far enough to find a status message. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/**
 * A body goes to the socket this much per event-loop turn: one write of a
 * megabyte is a syscall that can stall the loop for milliseconds; a quarter
 * of it stays well under one, and needs few turns.
 */
const WRITE_CHUNK_BYTES = 256 * 1024;

/** What the sender needs to know. */
export interface SenderConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
  readonly timeoutMs: number;
  readonly maxConcurrentRequests: number;
}

/**
 * Posts OTLP/protobuf request bodies over one keep-alive connection pool.
 * Its requests run with tracing suppressed, so no instrumentation traces the
 * exporter itself; its sockets never keep the process alive (a flush or
 * shutdown that waits for them holds a timer of its own); an attempt never
 * rejects: it ends in an `AttemptResult`.
 */
export class OtlpHttpSender {
  readonly #config: SenderConfig;
  readonly #url: URL;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;

  constructor(config: SenderConfig) {
    this.#config = config;
    this.#url = new URL(config.url);
    const secure = this.#url.protocol === 'https:';
    const options = { keepAlive: true, maxSockets: config.maxConcurrentRequests };
    this.#agent = secure ? new https.Agent(options) : new http.Agent(options);
    this.#request = secure ? https.request : http.request;
  }

  /** The body as sent: gzip-compressed off the main thread when configured. */
  async prepare(body: Buffer): Promise<Buffer> {
    return this.#config.compression === 'gzip' ? await gzipAsync(body) : body;
  }

  /** One attempt; `abort` ends it early as a timeout. */
  send(body: Buffer, abort: AbortSignal): Promise<AttemptResult> {
    const { timeoutMs } = this.#config;
    return new Promise((resolve) => {
      let settled = false;
      let request: http.ClientRequest | undefined;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        abort.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const giveUp = () => {
        finish(timedOut(timeoutMs));
        request?.destroy();
      };
      const onAbort = giveUp;
      const timer = setTimeout(giveUp, timeoutMs);
      timer.unref();
      if (abort.aborted) {
        giveUp();
        return;
      }
      abort.addEventListener('abort', onAbort);
      try {
        request = context.with(suppressTracing(context.active()), () =>
          this.#request(this.#url, {
            method: 'POST',
            agent: this.#agent,
            headers: this.#headers(body.length),
          }),
        );
      } catch (error) {
        finish(fromNetworkError(error));
        return;
      }
      request.on('socket', (socket) => {
        socket.unref();
        if (socket.connecting) socket.once('connect', () => writeInChunks(request!, body));
        else writeInChunks(request!, body);
      });
      request.on('error', (error) => finish(fromNetworkError(error)));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', (error) => finish(fromNetworkError(error)));
        response.on('end', () => {
          const result = fromResponse(
            response.statusCode ?? 0,
            response.headers,
            Buffer.concat(chunks),
          );
          finish(withNotFoundHint(result, this.#url));
        });
      });
    });
  }

  /** Closes every connection; later attempts open new ones. */
  close(): void {
    this.#agent.destroy();
  }

  #headers(length: number): Record<string, string | number> {
    const headers: Record<string, string | number> = {
      ...this.#config.headers,
      'content-type': 'application/x-protobuf',
      'content-length': length,
      'user-agent': `otelkit/${VERSION}`,
    };
    if (this.#config.compression === 'gzip') headers['content-encoding'] = 'gzip';
    return headers;
  }
}

/** Writes `body` a chunk per event-loop turn (or per drain), then ends the request. */
function writeInChunks(request: http.ClientRequest, body: Buffer): void {
  let offset = 0;
  const next = (): void => {
    if (request.destroyed) return;
    if (offset >= body.length) {
      request.end();
      return;
    }
    const end = Math.min(offset + WRITE_CHUNK_BYTES, body.length);
    const flushed = request.write(body.subarray(offset, end));
    offset = end;
    if (flushed) setImmediate(next);
    else request.once('drain', next);
  };
  next();
}

/** A 404 of an endpoint whose URL repeats the signal's path says what to change. */
function withNotFoundHint(result: AttemptResult, url: URL | string): AttemptResult {
  if (result.delivered || result.status !== 404) return result;
  const hint = notFoundHint(String(url));
  return hint === undefined ? result : { ...result, reason: `${result.reason}; ${hint}` };
}
