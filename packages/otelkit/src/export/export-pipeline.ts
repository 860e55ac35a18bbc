import type { MeterProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { BufferPool } from './buffer-pool.ts';
import { exportHeaders, type ResolvedOtlpExportConfig } from './export-config.ts';
import { type ExportJob, jobsSettled, newJob, undeliveredError } from './export-job.ts';
import { ExportMetrics, type RecordSignal } from './export-metrics.ts';
import { FailureReporter } from './failure-reporter.ts';
import type { Scope } from './origin-encoder.ts';
import { OtlpHttpSender } from './otlp-http-sender.ts';
import {
  type Encoder,
  RecordBuffer,
  type RecordGroup,
  type SealedGroup,
  writeRecord,
} from './record-buffer.ts';
import { layoutRequest, writeRequest } from './request-body.ts';
import { RequestScheduler } from './request-scheduler.ts';
import { RetryPolicy } from './retry-policy.ts';
import { StringCache } from './string-cache.ts';

/** What the pipeline needs of a span or log record besides its encoder. */
export interface ExportItem {
  readonly resource: Resource;
  readonly instrumentationScope: Scope;
}

/** The record size assumed for the queue capacity in records until one is seen. */
const ASSUMED_RECORD_BYTES = 512;

/**
 * The export path of one signal: records are encoded as they end into the
 * byte-bounded buffer; a batch is sealed into a request when it reaches
 * `maxRequestBytes` or after `flushIntervalMs`, and handed to the scheduler.
 * Every record is counted exactly once: dropped at the processor, delivered,
 * or not delivered with an `error.type`. Nothing here throws into the caller.
 */
export class ExportPipeline<T extends ExportItem> {
  readonly config: ResolvedOtlpExportConfig;
  readonly metrics: ExportMetrics;
  readonly #items: string;
  readonly #encode: Encoder<T>;
  readonly #strings = new StringCache();
  readonly #buffer = new RecordBuffer();
  readonly #pool: BufferPool;
  readonly #sender: OtlpHttpSender;
  readonly #reporter: FailureReporter;
  readonly #scheduler: RequestScheduler;
  readonly #queueFull: string;
  readonly #tooLarge: string;
  #timer: NodeJS.Timeout | undefined;
  /** The open batch waited `flushIntervalMs` while no request could go out: seal it when one can. */
  #due = false;
  #closed = false;
  #shutdown: Promise<void> | undefined;
  /** When the process ends (`performance.now()`), while it is ending. */
  #deadline: number | undefined;
  /** Encoded bytes held: the open batch, waiting requests and requests in flight. */
  #heldBytes = 0;
  #encodedCount = 0;
  #encodedBytes = 0;

  constructor(
    config: ResolvedOtlpExportConfig,
    items: string,
    encode: Encoder<T>,
    meterProvider: MeterProvider | undefined,
  ) {
    this.config = config;
    this.#items = items;
    this.#encode = encode;
    this.#queueFull = `the export queue is full (maxQueueBytes ${config.maxQueueBytes})`;
    this.#tooLarge = `it is larger than maxRequestBytes (${config.maxRequestBytes})`;
    this.#sender = new OtlpHttpSender({ ...config, headers: exportHeaders(config) });
    this.#reporter = new FailureReporter({ ...config, item: items.slice(0, -1), items });
    // A full batch passes maxRequestBytes by one record at most: the slack covers most records.
    // The pool holds a full queue, so an outage reuses its buffers instead of fragmenting the heap.
    const poolSize = config.maxRequestBytes + 64 * 1024;
    this.#pool = new BufferPool(poolSize, Math.ceil(config.maxQueueBytes / poolSize) + 1);
    // Pipelines carry spans and log records; metrics have their own exporter.
    this.metrics = new ExportMetrics(config.signal as RecordSignal, config.url, {
      provider: meterProvider,
      enabled: config.selfMetrics,
      state: () => ({
        queued: this.#buffer.count + this.#scheduler.waitingCount,
        heldBytes: this.#heldBytes,
        inflight: this.#scheduler.inflightCount,
        capacity: Math.floor(
          config.maxQueueBytes /
            (this.#encodedCount > 0
              ? this.#encodedBytes / this.#encodedCount
              : ASSUMED_RECORD_BYTES),
        ),
      }),
    });
    this.#scheduler = new RequestScheduler({
      items,
      maxConcurrentRequests: config.maxConcurrentRequests,
      sender: this.#sender,
      retry: new RetryPolicy(config.maxRetryTimeMs),
      metrics: this.metrics,
      reporter: this.#reporter,
      pool: this.#pool,
      finished: (job) => this.#finished(job),
    });
    this.metrics.bind();
  }

  /** Encodes `item` into the open batch, or counts it dropped; never throws. */
  add(item: T): void {
    if (this.#closed) {
      this.metrics.addProcessed(1, 'already_shutdown');
      return;
    }
    try {
      const group = this.#buffer.group(item.resource, item.instrumentationScope);
      const w = group.writer;
      const start = w.pos;
      let size: number;
      try {
        size = writeRecord(w, item, this.#encode, this.#strings);
      } catch (error) {
        w.pos = start;
        this.#drop(errorType(error), `it could not be encoded (${String(error)})`);
        return;
      }
      this.#accept(group, start, size);
    } catch (error) {
      this.#drop(errorType(error), String(error));
    }
  }

  /**
   * Adds a record encoded earlier by `writeRecord` (tag and length included),
   * `length` bytes of `source` from `offset`, to the open batch under
   * `resource` and `scope`, or counts it dropped; never throws. Tail sampling
   * holds spans encoded this way until their trace is decided.
   */
  addEncoded(
    resource: Resource,
    scope: Scope,
    source: Buffer,
    offset: number,
    length: number,
  ): void {
    if (this.#closed) {
      this.metrics.addProcessed(1, 'already_shutdown');
      return;
    }
    try {
      const group = this.#buffer.group(resource, scope);
      const w = group.writer;
      const start = w.pos;
      w.ensure(length);
      source.copy(w.buf, start, offset, offset + length);
      w.pos = start + length;
      this.#accept(group, start, length);
    } catch (error) {
      this.#drop(errorType(error), String(error));
    }
  }

  /** Counts a record that never reached the pipeline as dropped, with `type` as its `error.type`. */
  dropped(type: string, reason: string): void {
    this.#drop(type, reason);
  }

  /** Keeps a record just written into `group` at `start`, or takes it out and counts it dropped. */
  #accept(group: RecordGroup, start: number, size: number): void {
    if (size > this.config.maxRequestBytes) {
      // Sent alone it would still pass the bound a backend was promised; in a batch it would spoil it.
      group.writer.pos = start;
      this.#drop('too_large', this.#tooLarge);
      return;
    }
    if (this.#heldBytes + size > this.config.maxQueueBytes) {
      group.writer.pos = start;
      this.#drop('queue_full', this.#queueFull);
      return;
    }
    this.#buffer.added(group, size);
    this.#heldBytes += size;
    this.#encodedCount++;
    this.#encodedBytes += size;
    if (this.#buffer.bytes >= this.config.maxRequestBytes) this.#seal();
    else if (this.#timer === undefined && !this.#due) this.#startTimer();
  }

  /**
   * Sends what is buffered and waits for every request so far to end, up to
   * `timeoutMs` or the deadline the process ends by, whichever comes first.
   */
  async forceFlush(): Promise<void> {
    if (this.#shutdown) return this.#shutdown;
    this.#seal();
    const jobs = this.#scheduler.jobs;
    await jobsSettled(jobs, this.#waitMs());
    this.#check(jobs, 'still in progress');
  }

  /**
   * Tells the pipeline whether the process is ending, and by when
   * (`timeLeftMs`): meanwhile a backend that cannot be reached at all is not
   * retried (see `RequestScheduler.ending`), and a flush or shutdown returns
   * by the deadline.
   */
  processEnding(ending: boolean, timeLeftMs?: number): void {
    this.#deadline =
      ending && timeLeftMs !== undefined ? performance.now() + Math.max(0, timeLeftMs) : undefined;
    this.#reporter.ending(ending);
    this.#scheduler.ending(ending);
  }

  /** Records ended and not yet done with: in the open batch, waiting, or in requests. */
  get pendingCount(): number {
    return this.#buffer.count + this.#scheduler.waitingCount + this.#scheduler.inflightCount;
  }

  /** How long a flush or shutdown may wait now. */
  #waitMs(): number {
    const { timeoutMs } = this.config;
    if (this.#deadline === undefined) return timeoutMs;
    return Math.max(0, Math.min(timeoutMs, this.#deadline - performance.now()));
  }

  /** Stops taking records, sends what is left and waits up to `timeoutMs`; idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutDown();
    return this.#shutdown;
  }

  async #shutDown(): Promise<void> {
    this.#closed = true;
    this.#seal();
    const jobs = this.#scheduler.jobs;
    // Retry now rather than after the backoff (the backend may be back), but not a backend that is not there.
    this.#reporter.ending(true);
    this.#scheduler.ending(true);
    const waitMs = this.#waitMs();
    const reason =
      this.#deadline === undefined
        ? `timeout after ${this.config.timeoutMs} ms`
        : `no answer within the time left to end (${Math.round(waitMs)} ms)`;
    await this.#scheduler.finish(jobs, waitMs, reason);
    this.#sender.close();
    this.metrics.bind();
    this.#check(jobs, undefined);
  }

  #drop(type: string, reason: string): void {
    this.metrics.addProcessed(1, type);
    this.#reporter.lost(1, reason);
  }

  /**
   * Seals the open batch after `flushIntervalMs`, or, while every request
   * slot is taken (a slow or failing backend), lets it grow until one frees:
   * fewer, fuller requests then, and no pile of small ones.
   */
  #startTimer(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#scheduler.canSend()) this.#seal();
      else this.#due = true;
    }, this.config.flushIntervalMs);
    this.#timer.unref();
  }

  /** Turns the open batch into a request for the scheduler. */
  #seal(): void {
    this.#due = false;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const job = this.#buffer.seal((groups, count, bytes) => this.#job(groups, count, bytes));
    if (job !== undefined) this.#scheduler.enqueue(job);
  }

  /**
   * A job for a sealed batch: its request body written at once into a
   * pooled buffer, or (while a resource still detects attributes) the
   * records copied, to be written once it is done.
   */
  #job(groups: SealedGroup[], count: number, bytes: number): ExportJob {
    if (groups.some((group) => group.resource.asyncAttributesPending)) {
      const copies = groups.map((group) => ({
        ...group,
        bytes: Uint8Array.prototype.slice.call(group.bytes),
      }));
      return newJob(count, bytes, { groups: copies });
    }
    const layout = layoutRequest(groups);
    const pooled = this.#pool.take(layout.total);
    return newJob(count, bytes, { body: writeRequest(layout, pooled), pooled });
  }

  #finished(job: ExportJob): void {
    this.#heldBytes -= job.bytes;
    if (this.#due && this.#scheduler.canSend()) this.#seal();
  }

  /** Rejects with what did not reach the backend, naming the endpoint and the reason. */
  #check(jobs: readonly ExportJob[], pending: string | undefined): void {
    const { url, timeoutMs } = this.config;
    const error = undeliveredError(jobs, this.#items, url, timeoutMs, pending);
    if (error) throw error;
  }
}

function errorType(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
