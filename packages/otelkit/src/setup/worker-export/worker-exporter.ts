import { Worker } from 'node:worker_threads';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { WorkerExporterConfig, WorkerReply, WorkerRequest } from './protocol.ts';
import type { OriginIds as OriginIdsType, WireOrigins } from './wire.ts';
import { OriginIds } from './wire.ts';

type Encode<T> = (item: T, ids: OriginIdsType, fresh: WireOrigins) => unknown;
type Request =
  | { type: 'export'; origins: WireOrigins; items: unknown[] | string }
  | { type: 'flush' | 'shutdown' };

// Runs from the TypeScript sources too (tests, `--conditions=otelkit-source`).
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './export-worker.ts' : './export-worker.js',
  import.meta.url,
);

/**
 * The worker gets only the flags that decide how its modules load: not the
 * app's `--import` hooks, profilers or `--input-type`, which do not apply to it.
 */
function workerExecArgv(): string[] {
  const kept: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--conditions' || flag === '-C') {
      if (i + 1 < argv.length) kept.push(flag, argv[++i]!);
    } else if (/^(--conditions=|--(no-)?experimental-(strip|transform)-types$)/.test(flag)) {
      kept.push(flag);
    }
  }
  return kept;
}

/**
 * A span or log record exporter whose OTLP encoding and network calls run on
 * a worker thread, with the official OTLP exporter there. The app's thread
 * only copies each item into a plain object (cloned natively by
 * `postMessage`); protobuf encoding, which otherwise costs a busy server a
 * large share of its CPU, happens off it. The worker starts on the first
 * export and never keeps the process alive while idle.
 */
export class WorkerExporter<T extends { resource: Resource }> {
  readonly #config: WorkerExporterConfig;
  readonly #encode: Encode<T>;
  readonly #ids = new OriginIds();
  readonly #pending = new Map<number, (reply: WorkerReply) => void>();
  #worker: Worker | undefined;
  #nextId = 0;
  #shutdown: Promise<void> | undefined;

  constructor(config: WorkerExporterConfig, encode: Encode<T>) {
    this.#config = config;
    this.#encode = encode;
  }

  export(items: T[], done: (result: ExportResult) => void): void {
    if (this.#shutdown) {
      done({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    const waiting = items.filter((item) => item.resource.asyncAttributesPending);
    if (waiting.length > 0) {
      Promise.all(waiting.map((item) => item.resource.waitForAsyncAttributes?.())).then(
        () => this.#send(items, done),
        () => this.#send(items, done),
      );
    } else {
      this.#send(items, done);
    }
  }

  async forceFlush(): Promise<void> {
    if (this.#worker === undefined) return;
    await this.#expect(this.#call({ type: 'flush' }));
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      const worker = this.#worker;
      if (worker === undefined) return;
      try {
        await this.#expect(this.#call({ type: 'shutdown' }));
      } finally {
        await worker.terminate();
      }
    })();
    return this.#shutdown;
  }

  #send(items: T[], done: (result: ExportResult) => void): void {
    let message: Request;
    try {
      const origins: WireOrigins = { resources: [], scopes: [] };
      const wire = items.map((item) => this.#encode(item, this.#ids, origins));
      // Spans cross as one JSON string: V8 writes it several times faster
      // than postMessage clones the same objects. Log bodies may hold bytes,
      // which JSON cannot carry, so log records are cloned.
      message = {
        type: 'export',
        origins,
        items: this.#config.signal === 'traces' ? JSON.stringify(wire) : wire,
      };
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    this.#call(message).then((reply) =>
      done(
        reply.ok
          ? { code: ExportResultCode.SUCCESS }
          : { code: ExportResultCode.FAILED, error: new Error(reply.error) },
      ),
    );
  }

  async #expect(reply: Promise<WorkerReply>): Promise<void> {
    const { ok, error } = await reply;
    if (!ok) throw new Error(error);
  }

  /** Sends a request; the worker holds the process open only while answers are due. */
  #call(request: Request): Promise<WorkerReply> {
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      try {
        const worker = this.#start();
        if (this.#pending.size === 0) worker.ref();
        this.#pending.set(id, resolve);
        worker.postMessage({ ...request, id } as WorkerRequest);
      } catch (error) {
        this.#pending.delete(id);
        resolve({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL, { workerData: this.#config, execArgv: workerExecArgv() });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const resolve = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      resolve?.(reply);
    });
    const fail = (reason: string) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const [id, resolve] of this.#pending) resolve({ id, ok: false, error: reason });
      this.#pending.clear();
    };
    worker.on('error', (error) => fail(`export worker failed: ${error.message}`));
    worker.on('exit', (code) => fail(`export worker exited with code ${code}`));
    this.#worker = worker;
    return worker;
  }
}
