import {
  context,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { errorMessage } from '../errors/describe-error.ts';
import { recordError } from '../errors/record-error.ts';
import { endTimeSince, wallTimeAt } from '../internal/clock.ts';
import { counter } from '../metrics/instruments.ts';
import { defaultTracer } from '../trace/default-tracer.ts';

/** What `process` gets besides the items. */
export interface BatchContext {
  /** The `batch <name>` span, also active while `process` runs. */
  readonly span: Span;
}

/** Options of `new BatchPipeline()`. */
export interface BatchPipelineOptions<T> {
  /** Names the span (`batch <name>`) and the `batch.name` attribute of the drop counter. */
  name: string;
  /** Handles one batch. A throw or rejection is recorded on the batch span; the items are not retried. */
  process: (items: T[], batch: BatchContext) => void | Promise<void>;
  /** Items per batch; a full batch is processed at once. @default 100 */
  maxBatchSize?: number;
  /** How long the first item of a partial batch waits before the batch is processed. @default 1000 */
  maxDelayMs?: number;
  /** Items waiting at most; `push` returns `false` beyond it. @default 10_000 */
  maxQueueSize?: number;
  /** Batches processed at the same time. @default 1 */
  concurrency?: number;
  /** Links per batch span, one per item; the SDK's default span link limit. @default 128 */
  maxLinks?: number;
  /** The tracer of the batch spans. @default the global provider's `otelkit` tracer */
  tracer?: Tracer;
}

interface Entry<T> {
  readonly item: T;
  readonly origin: SpanContext | undefined;
}

type DropReason = 'queue_full' | 'closed';

const dropped = counter<{ 'batch.name': string; 'batch.drop.reason': DropReason }>(
  'otelkit.batch.dropped',
  { unit: '{item}', description: 'Items a BatchPipeline refused because it was full or closed' },
);

/**
 * Collects items pushed from many requests and processes them in batches,
 * each in a `batch <name>` span (attribute `batch.size`) that links to the
 * span of every request that pushed one of its items, so a trace view leads
 * from a request to the batch that handled its item and back. The queue is
 * bounded; failures are recorded, never unhandled; timers never keep the
 * process alive.
 *
 * @example
 * const audit = new BatchPipeline<AuditEvent>({
 *   name: 'audit',
 *   process: (events) => auditStore.insertMany(events),
 * });
 * audit.push({ action: 'login', userId });
 * // at shutdown
 * await audit.close();
 */
export class BatchPipeline<T> implements AsyncDisposable {
  readonly #name: string;
  readonly #process: BatchPipelineOptions<T>['process'];
  readonly #maxBatchSize: number;
  readonly #maxDelayMs: number;
  readonly #maxQueueSize: number;
  readonly #concurrency: number;
  readonly #maxLinks: number;
  readonly #tracer: Tracer | undefined;
  #queue: Entry<T>[] = [];
  #active = 0;
  #timer: NodeJS.Timeout | undefined;
  #due = false;
  #drainQueued = false;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: BatchPipelineOptions<T>) {
    this.#name = options.name;
    this.#process = options.process;
    this.#maxBatchSize = positive('maxBatchSize', options.maxBatchSize ?? 100);
    this.#maxDelayMs = nonNegative('maxDelayMs', options.maxDelayMs ?? 1000);
    this.#maxQueueSize = positive('maxQueueSize', options.maxQueueSize ?? 10_000);
    this.#concurrency = positive('concurrency', options.concurrency ?? 1);
    this.#maxLinks = nonNegative('maxLinks', options.maxLinks ?? 128);
    this.#tracer = options.tracer;
  }

  /** Items waiting to be processed. */
  get size(): number {
    return this.#queue.length;
  }

  /**
   * Queues an item, remembering the active span so the batch span can link
   * to it. `false` (and one count of `otelkit.batch.dropped`) when the queue
   * is full or the pipeline is closed.
   */
  push(item: T): boolean {
    if (this.#closed || this.#queue.length >= this.#maxQueueSize) {
      const reason = this.#closed ? 'closed' : 'queue_full';
      dropped.add(1, { 'batch.name': this.#name, 'batch.drop.reason': reason });
      return false;
    }
    this.#queue.push({ item, origin: trace.getSpanContext(context.active()) });
    if (this.#queue.length >= this.#maxBatchSize) this.#queueDrain();
    else this.#startTimer();
    return true;
  }

  /** Processes everything queued now, without waiting for `maxDelayMs`; resolves when done. */
  flush(): Promise<void> {
    this.#due = true;
    this.#drain();
    if (this.#queue.length === 0 && this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Refuses new items, processes the queued ones, and resolves when every batch is done. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    this.#stopTimer();
  }

  /** `await using pipeline = new BatchPipeline(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #queueDrain(): void {
    if (this.#drainQueued) return;
    this.#drainQueued = true;
    // Not in `push` itself: `process` must not run on the caller's stack.
    queueMicrotask(() => {
      this.#drainQueued = false;
      this.#drain();
    });
  }

  #drain(): void {
    while (
      this.#active < this.#concurrency &&
      this.#queue.length > 0 &&
      (this.#due || this.#queue.length >= this.#maxBatchSize)
    ) {
      const entries = this.#queue.splice(0, this.#maxBatchSize);
      this.#active++;
      const done = () => {
        this.#active--;
        this.#drain();
      };
      this.#run(entries).then(done, done);
    }
    if (this.#queue.length === 0) {
      this.#due = false;
      this.#stopTimer();
      if (this.#active === 0) this.#notifyIdle();
    } else if (!this.#due) {
      this.#startTimer();
    }
  }

  async #run(entries: Entry<T>[]): Promise<void> {
    const items: T[] = new Array(entries.length);
    const links: Link[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      items[i] = entry.item;
      if (links.length < this.#maxLinks && entry.origin && isSpanContextValid(entry.origin)) {
        links.push({ context: entry.origin });
      }
    }
    let span: Span | undefined;
    const started = performance.now();
    const startTime = wallTimeAt(started);
    try {
      // A batch mixes items from many traces: it starts its own trace and links to theirs.
      span = (this.#tracer ?? defaultTracer()).startSpan(
        `batch ${this.#name}`,
        { links, attributes: { 'batch.size': items.length }, startTime },
        ROOT_CONTEXT,
      );
      await context.with(trace.setSpan(ROOT_CONTEXT, span), this.#process, undefined, items, {
        span,
      });
    } catch (error) {
      if (span !== undefined) {
        recordError(error, { span });
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      }
    } finally {
      span?.end(endTimeSince(startTime, started));
    }
  }

  #startTimer(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#due = true;
      this.#drain();
    }, this.#maxDelayMs);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    if (waiters.length === 0) return;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function positive(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`BatchPipeline: ${option} must be a positive integer, got ${value}`);
  }
  return value;
}

function nonNegative(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`BatchPipeline: ${option} must be a non-negative number, got ${value}`);
  }
  return value;
}
