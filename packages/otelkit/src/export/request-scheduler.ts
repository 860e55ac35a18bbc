import { countOf } from '../internal/count-of.ts';
import { type Failed, UNREACHABLE } from './attempt-result.ts';
import type { BufferPool } from './buffer-pool.ts';
import { type ExportJob, jobsSettled } from './export-job.ts';
import type { ExportMetrics } from './export-metrics.ts';
import type { FailureReporter } from './failure-reporter.ts';
import type { OtlpHttpSender } from './otlp-http-sender.ts';
import { encodeRequest, settleResources } from './request-body.ts';
import { RetryPolicy } from './retry-policy.ts';

/** What the scheduler works with. */
export interface SchedulerParts {
  /** `spans` or `log records`. */
  readonly items: string;
  readonly maxConcurrentRequests: number;
  readonly sender: OtlpHttpSender;
  readonly retry: RetryPolicy;
  readonly metrics: ExportMetrics;
  readonly reporter: FailureReporter;
  readonly pool: BufferPool;
  /** Called once per job, when it has ended (its records are no longer held). */
  readonly finished: (job: ExportJob) => void;
}

/**
 * Runs sealed batches as requests: at most `maxConcurrentRequests` at once,
 * never more whatever fails, each attempt bounded by the sender's timeout and
 * retried by the retry policy; ends every job exactly once, counting its
 * records as exported, with an `error.type` when they were not delivered.
 */
export class RequestScheduler {
  readonly #parts: SchedulerParts;
  readonly #waiting: ExportJob[] = [];
  readonly #active = new Set<ExportJob>();
  readonly #abort = new AbortController();
  #wake = new AbortController();
  /** Set while the process ends: an unreachable backend is then not waited for. */
  #ending = false;
  /** Records waiting for a request slot, and in requests. */
  waitingCount = 0;
  inflightCount = 0;

  constructor(parts: SchedulerParts) {
    this.#parts = parts;
  }

  /** Every job not ended yet, running or waiting. */
  get jobs(): ExportJob[] {
    return [...this.#active, ...this.#waiting];
  }

  /** Whether a new request would start now. */
  canSend(): boolean {
    return (
      this.#waiting.length === 0 &&
      this.#active.size < this.#parts.maxConcurrentRequests &&
      !this.#abort.signal.aborted
    );
  }

  /** Queues a job and starts what the concurrency allows. */
  enqueue(job: ExportJob): void {
    this.#waiting.push(job);
    this.waitingCount += job.count;
    this.#pump();
  }

  /** Ends the backoff of every request waiting to retry: they try again now. */
  wake(): void {
    const wake = this.#wake;
    this.#wake = new AbortController();
    wake.abort();
  }

  /**
   * Marks the process as ending (or not any more): requests waiting to retry
   * try again at once, and from then on a backend that cannot be reached at
   * all (connection refused, host not found) ends a request instead of being
   * retried, so that a process without a collector exits without waiting.
   */
  ending(ending: boolean): void {
    this.#ending = ending;
    if (ending) this.wake();
  }

  /**
   * Waits up to `timeoutMs` for `jobs`; then cuts short what is left: open
   * requests are closed and every unfinished job ends, counted not delivered,
   * with `reason` when it had not failed yet.
   */
  async finish(jobs: readonly ExportJob[], timeoutMs: number, reason: string): Promise<void> {
    if (await jobsSettled(jobs, timeoutMs)) return;
    this.#abort.abort();
    this.wake();
    for (const job of jobs) {
      if (job.finished) continue;
      const failure = job.failure ?? reason;
      if (job.started) {
        this.#end(job, job.count, job.count, job.failureType ?? 'timeout', failure);
      } else {
        this.#parts.metrics.addProcessed(job.count, 'timeout');
        this.#end(job, job.count, 0, undefined, failure);
      }
      this.#parts.reporter.lost(job.count, failure);
    }
  }

  #pump(): void {
    if (this.#abort.signal.aborted) return;
    while (this.#active.size < this.#parts.maxConcurrentRequests && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.waitingCount -= job.count;
      this.inflightCount += job.count;
      job.started = true;
      this.#active.add(job);
      this.#parts.metrics.addProcessed(job.count);
      this.#run(job).catch((error: unknown) =>
        this.#end(job, job.count, job.count, errorType(error), String(error)),
      );
    }
  }

  async #run(job: ExportJob): Promise<void> {
    const { sender, metrics, reporter, retry, items } = this.#parts;
    metrics.bind();
    if (job.groups !== undefined) {
      await settleResources(job.groups);
      job.body = encodeRequest(job.groups);
      job.groups = undefined;
    }
    const body = await sender.prepare(job.body!);
    const first = performance.now();
    let failure: Failed;
    for (let attempt = 1; ; attempt++) {
      if (job.finished) return;
      const start = performance.now();
      const result = await sender.send(body, this.#abort.signal);
      if (job.finished) return;
      const seconds = (performance.now() - start) / 1000;
      if (result.delivered) {
        metrics.recordDuration(seconds, undefined, result.status);
        const rejected = Math.min(result.rejected, job.count);
        if (rejected === 0) {
          this.#end(job, 0, job.count, undefined, undefined);
        } else {
          const message = `the backend rejected ${rejected} of ${countOf(job.count, items)} (${result.rejectedMessage || 'partial success'})`;
          metrics.addExported(rejected, 'rejected');
          this.#end(job, rejected, job.count - rejected, undefined, message);
          reporter.lost(rejected, message);
        }
        reporter.succeeded();
        return;
      }
      failure = result;
      metrics.recordDuration(seconds, failure.errorType, failure.status);
      job.failure = failure.reason;
      job.failureType = failure.errorType;
      const retryable =
        failure.retryable &&
        !this.#abort.signal.aborted &&
        !(this.#ending && UNREACHABLE.has(failure.errorType));
      const delay = retryable
        ? retry.delay(attempt, performance.now() - first, failure.retryAfterMs)
        : undefined;
      reporter.attemptFailed(failure.reason, delay !== undefined, job.count);
      if (delay === undefined) break;
      await this.#sleep(this.#ending ? RetryPolicy.whileEnding(delay, failure) : delay);
    }
    this.#end(job, job.count, job.count, failure.errorType, failure.reason);
    reporter.lost(job.count, failure.reason);
  }

  /**
   * Ends a job exactly once: `undelivered` of its records did not reach the
   * backend; `exported` are counted as exported, with `type` as their
   * `error.type` when they were not delivered.
   */
  #end(
    job: ExportJob,
    undelivered: number,
    exported: number,
    type: string | undefined,
    failure: string | undefined,
  ): void {
    if (job.finished) return;
    job.finished = true;
    job.undelivered = undelivered;
    job.failure = failure;
    if (exported > 0) this.#parts.metrics.addExported(exported, type);
    if (job.started) {
      this.#active.delete(job);
      this.inflightCount -= job.count;
    } else {
      const index = this.#waiting.indexOf(job);
      if (index >= 0) this.#waiting.splice(index, 1);
      this.waitingCount -= job.count;
    }
    job.groups = undefined;
    job.body = undefined;
    // Every attempt is over: answered, failed, or its socket destroyed (which stops its writes).
    if (job.pooled !== undefined) this.#parts.pool.give(job.pooled);
    job.pooled = undefined;
    job.settle();
    this.#pump();
    this.#parts.finished(job);
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
}

function errorType(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
