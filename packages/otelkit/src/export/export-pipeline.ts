import type { MeterProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { Failed } from './attempt-result.ts';
import { BufferPool } from './buffer-pool.ts';
import { exportHeaders, type ResolvedOtlpExportConfig } from './export-config.ts';
import { ExportMetrics } from './export-metrics.ts';
import { FailureReporter } from './failure-reporter.ts';
import type { Scope } from './origin-encoder.ts';
import { OtlpExportError } from './otlp-export-error.ts';
import { OtlpHttpSender } from './otlp-http-sender.ts';
import { type Encoder, RecordBuffer, type SealedGroup, writeRecord } from './record-buffer.ts';
import { encodeRequest, layoutRequest, settleResources, writeRequest } from './request-body.ts';
import { RetryPolicy } from './retry-policy.ts';
import { StringCache } from './string-cache.ts';

/** What the pipeline needs of a span or log record besides its encoder. */
export interface ExportItem {
  readonly resource: Resource;
  readonly instrumentationScope: Scope;
}

/** The record size assumed for the queue capacity in records until one is seen. */
const ASSUMED_RECORD_BYTES = 512;

/** One request: a sealed batch on its way, and how it ended. */
interface Job {
  /** The request body, written when the batch was sealed. */
  body: Buffer | undefined;
  /** The pooled buffer under `body`, to give back once the request is over. */
  pooled: Buffer | undefined;
  /** Copies of the records, when a resource was still detecting attributes at sealing. */
  groups: readonly SealedGroup[] | undefined;
  readonly count: number;
  readonly bytes: number;
  started: boolean;
  finished: boolean;
  /** Records not delivered, once finished. */
  undelivered: number;
  /** Why the last attempt failed, for people and as `error.type`. */
  failure: string | undefined;
  failureType: string | undefined;
  readonly done: Promise<void>;
  readonly settle: () => void;
}

/**
 * The export path of one signal: records are encoded as they end into the
 * byte-bounded buffer; a batch is sealed when it reaches `maxRequestBytes` or
 * after `flushIntervalMs`; at most `maxConcurrentRequests` requests are in
 * flight, each retried by the OTLP rules within `maxRetryTimeMs`. Every
 * record is counted exactly once: dropped at the processor, delivered, or
 * not delivered with an `error.type`. Nothing here throws into the caller.
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
  readonly #retry: RetryPolicy;
  readonly #reporter: FailureReporter;
  readonly #waiting: Job[] = [];
  readonly #active = new Set<Job>();
  readonly #abort = new AbortController();
  readonly #queueFull: string;
  #wake = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  /** The open batch waited `flushIntervalMs` while no request could go out: seal it when one can. */
  #due = false;
  #closed = false;
  #shutdown: Promise<void> | undefined;
  #heldBytes = 0;
  #waitingCount = 0;
  #inflightCount = 0;
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
    this.#sender = new OtlpHttpSender({ ...config, headers: exportHeaders(config) });
    this.#retry = new RetryPolicy(config.maxRetryTimeMs);
    // A full batch passes maxRequestBytes by one record at most; the slack covers most records.
    this.#pool = new BufferPool(
      config.maxRequestBytes + 64 * 1024,
      config.maxConcurrentRequests + 1,
    );
    this.#reporter = new FailureReporter({ ...config, item: items.slice(0, -1), items });
    this.#queueFull = `the export queue is full (maxQueueBytes ${config.maxQueueBytes})`;
    this.metrics = new ExportMetrics(config.signal, config.url, {
      provider: meterProvider,
      enabled: config.selfMetrics,
      state: () => ({
        queued: this.#buffer.count + this.#waitingCount,
        heldBytes: this.#heldBytes,
        inflight: this.#inflightCount,
        capacity: Math.floor(
          config.maxQueueBytes /
            (this.#encodedCount > 0
              ? this.#encodedBytes / this.#encodedCount
              : ASSUMED_RECORD_BYTES),
        ),
      }),
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
      if (this.#heldBytes + size > this.config.maxQueueBytes) {
        w.pos = start;
        this.#drop('queue_full', this.#queueFull);
        return;
      }
      this.#buffer.added(group, size);
      this.#heldBytes += size;
      this.#encodedCount++;
      this.#encodedBytes += size;
      if (this.#buffer.bytes >= this.config.maxRequestBytes) this.#seal();
      else if (this.#timer === undefined && !this.#due) this.#startTimer();
    } catch (error) {
      this.#drop(errorType(error), String(error));
    }
  }

  /** Sends what is buffered and waits (up to `timeoutMs`) for every request so far to end. */
  async forceFlush(): Promise<void> {
    if (this.#shutdown) return this.#shutdown;
    this.#seal();
    const jobs = [...this.#active, ...this.#waiting];
    await this.#settled(jobs);
    this.#check(jobs, 'still in progress');
  }

  /** Stops taking records, sends what is left and waits up to `timeoutMs`; idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutDown();
    return this.#shutdown;
  }

  async #shutDown(): Promise<void> {
    this.#closed = true;
    this.#seal();
    const jobs = [...this.#active, ...this.#waiting];
    this.#wakeSleepers(); // retry now rather than after the backoff: the backend may be back
    if (!(await this.#settled(jobs))) {
      this.#abort.abort();
      this.#wakeSleepers();
      const reason = `timeout after ${this.config.timeoutMs} ms`;
      for (const job of jobs) {
        if (job.finished) continue;
        const failure = job.failure ?? reason;
        if (job.started) {
          this.#complete(job, job.count, job.count, job.failureType ?? 'timeout', failure);
        } else {
          this.metrics.addProcessed(job.count, 'timeout');
          this.#complete(job, job.count, 0, undefined, failure);
        }
        this.#reporter.lost(job.count, failure);
      }
    }
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
      if (this.#canSend()) this.#seal();
      else this.#due = true;
    }, this.config.flushIntervalMs);
    this.#timer.unref();
  }

  #canSend(): boolean {
    return this.#waiting.length === 0 && this.#active.size < this.config.maxConcurrentRequests;
  }

  /** Turns the open batch into a waiting request and starts what the concurrency allows. */
  #seal(): void {
    this.#due = false;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const job = this.#buffer.seal((groups, count, bytes) => this.#job(groups, count, bytes));
    if (job !== undefined) {
      this.#waiting.push(job);
      this.#waitingCount += job.count;
    }
    this.#pump();
  }

  /**
   * A job for a sealed batch: its request body written at once into a
   * pooled buffer, or (while a resource still detects attributes) the
   * records copied, to be written once it is done.
   */
  #job(groups: SealedGroup[], count: number, bytes: number): Job {
    let body: Buffer | undefined;
    let pooled: Buffer | undefined;
    let copies: SealedGroup[] | undefined;
    if (groups.some((group) => group.resource.asyncAttributesPending)) {
      copies = groups.map((group) => ({
        ...group,
        bytes: Uint8Array.prototype.slice.call(group.bytes),
      }));
    } else {
      const layout = layoutRequest(groups);
      pooled = this.#pool.take(layout.total);
      body = writeRequest(layout, pooled);
    }
    let settle!: () => void;
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    return {
      body,
      pooled,
      groups: copies,
      count,
      bytes,
      started: false,
      finished: false,
      undelivered: 0,
      failure: undefined,
      failureType: undefined,
      done,
      settle,
    };
  }

  #pump(): void {
    if (this.#abort.signal.aborted) return;
    while (this.#active.size < this.config.maxConcurrentRequests && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.#waitingCount -= job.count;
      this.#inflightCount += job.count;
      job.started = true;
      this.#active.add(job);
      this.metrics.addProcessed(job.count);
      this.#run(job).catch((error) =>
        this.#complete(job, job.count, job.count, errorType(error), String(error)),
      );
    }
  }

  async #run(job: Job): Promise<void> {
    this.metrics.bind();
    if (job.groups !== undefined) {
      await settleResources(job.groups);
      job.body = encodeRequest(job.groups);
      job.groups = undefined;
    }
    const body = await this.#sender.prepare(job.body!);
    const first = performance.now();
    let failure: Failed;
    for (let retry = 1; ; retry++) {
      if (job.finished) return;
      const start = performance.now();
      const result = await this.#sender.send(body, this.#abort.signal);
      if (job.finished) return;
      const failed = result.delivered ? undefined : result;
      this.metrics.recordDuration(
        (performance.now() - start) / 1000,
        failed?.errorType,
        result.status,
      );
      if (!result.delivered) {
        failure = result;
      } else {
        const rejected = Math.min(result.rejected, job.count);
        if (rejected > 0) this.metrics.addExported(rejected, 'rejected');
        const message = `the backend rejected ${rejected} of ${job.count} ${this.#items} (${result.rejectedMessage || 'partial success'})`;
        this.#complete(
          job,
          rejected,
          job.count - rejected,
          undefined,
          rejected > 0 ? message : undefined,
        );
        if (rejected > 0) this.#reporter.lost(rejected, message);
        this.#reporter.succeeded();
        return;
      }
      job.failure = failure.reason;
      job.failureType = failure.errorType;
      const delay =
        failure.retryable && !this.#abort.signal.aborted
          ? this.#retry.delay(retry, performance.now() - first, failure.retryAfterMs)
          : undefined;
      this.#reporter.attemptFailed(failure.reason, delay !== undefined, job.count);
      if (delay === undefined) break;
      await this.#sleep(delay);
    }
    this.#complete(job, job.count, job.count, failure.errorType, failure.reason);
    this.#reporter.lost(job.count, failure.reason);
  }

  /**
   * Ends a job exactly once: `undelivered` of its records did not reach the
   * backend; `exported` are counted as exported, with `type` as their
   * `error.type` when they were not delivered.
   */
  #complete(
    job: Job,
    undelivered: number,
    exported: number,
    type: string | undefined,
    failure: string | undefined,
  ): void {
    if (job.finished) return;
    job.finished = true;
    job.undelivered = undelivered;
    job.failure = failure;
    if (exported > 0) this.metrics.addExported(exported, type);
    if (job.started) {
      this.#active.delete(job);
      this.#inflightCount -= job.count;
    } else {
      const index = this.#waiting.indexOf(job);
      if (index >= 0) this.#waiting.splice(index, 1);
      this.#waitingCount -= job.count;
    }
    this.#heldBytes -= job.bytes;
    job.groups = undefined;
    job.body = undefined;
    // Every attempt is over: answered, failed, or its socket destroyed (which stops its writes).
    if (job.pooled !== undefined) this.#pool.give(job.pooled);
    job.pooled = undefined;
    job.settle();
    this.#pump();
    if (this.#due && this.#canSend() && !this.#abort.signal.aborted) this.#seal();
  }

  /** Waits for `jobs` to end, up to `timeoutMs`; a timer keeps the process alive meanwhile. */
  async #settled(jobs: readonly Job[]): Promise<boolean> {
    if (jobs.every((job) => job.finished)) return true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.config.timeoutMs);
    });
    const all = Promise.all(jobs.map((job) => job.done)).then(() => true as const);
    try {
      return await Promise.race([all, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Rejects with what did not reach the backend, naming the endpoint and the reason. */
  #check(jobs: readonly Job[], pending: string | undefined): void {
    let lost = 0;
    let reason: string | undefined;
    for (const job of jobs) {
      const missing = job.finished ? job.undelivered : job.count;
      if (missing === 0) continue;
      lost += missing;
      reason = job.failure ?? `timeout after ${this.config.timeoutMs} ms`;
      if (!job.finished && pending) reason += ` (${pending})`;
    }
    if (lost > 0) throw new OtlpExportError(this.#items, this.config.url, reason!, lost);
  }

  #sleep(ms: number): Promise<void> {
    const wake = this.#wake.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      wake.addEventListener('abort', done);
    });
  }

  #wakeSleepers(): void {
    const wake = this.#wake;
    this.#wake = new AbortController();
    wake.abort();
  }
}

function errorType(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
