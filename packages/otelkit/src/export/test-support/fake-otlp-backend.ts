import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { countRecords, partialSuccessResponse } from './otlp-messages.ts';

/** How the backend answers one request. */
export type Answer =
  | { status: number; headers?: Record<string, string>; body?: Uint8Array; rejected?: number }
  | 'hang';

/** A request as the backend saw it. */
export interface ReceivedRequest {
  readonly headers: IncomingMessage['headers'];
  /** The body as sent (compressed when it was). */
  readonly raw: Buffer;
  /** The decompressed body. */
  readonly body: Buffer;
  readonly records: number;
}

/**
 * A fake OTLP/HTTP backend on 127.0.0.1: decodes each request with the
 * official schema and answers as `answer` says. `delivered` counts the
 * records it acknowledged (2xx, less those a partial success rejected): the
 * backend's side of the accounting invariant.
 */
export class FakeOtlpBackend {
  readonly #signal: 'traces' | 'logs';
  readonly #sockets = new Set<Socket>();
  readonly requests: ReceivedRequest[] = [];
  answer: (request: ReceivedRequest, index: number) => Answer | Promise<Answer> = () => ({
    status: 200,
  });
  delivered = 0;
  concurrent = 0;
  maxConcurrent = 0;
  #server: Server | undefined;
  #port = 0;
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(signal: 'traces' | 'logs' = 'traces') {
    this.#signal = signal;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/v1/${this.#signal}`;
  }

  /** Listens (on the same port as before, after a `stop()`). */
  async start(): Promise<this> {
    const server = createServer((req, res) => this.#handle(req, res));
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Stops listening and drops every open connection, hanging ones too. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** Resolves once `count` requests have arrived in all. */
  receivedAtLeast(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    res.on('close', () => this.concurrent--);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    const request = { headers: req.headers, raw, body, records: countRecords(this.#signal, body) };
    const index = this.requests.push(request) - 1;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.requests.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
    const answer = await this.answer(request, index);
    if (answer === 'hang') return;
    if (answer.status >= 200 && answer.status < 300) {
      this.delivered += request.records - (answer.rejected ?? 0);
    }
    res.writeHead(answer.status, {
      'content-type': 'application/x-protobuf',
      ...answer.headers,
    });
    const rejected = answer.rejected ?? 0;
    res.end(
      answer.body ??
        (rejected > 0
          ? partialSuccessResponse(this.#signal, rejected, 'rejected here')
          : undefined),
    );
  }
}

/** A started backend. */
export function startFakeOtlpBackend(
  signal: 'traces' | 'logs' = 'traces',
): Promise<FakeOtlpBackend> {
  return new FakeOtlpBackend(signal).start();
}
