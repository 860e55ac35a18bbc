import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { UNREACHABLE } from '../export/attempt-result.ts';
import { notFoundHint } from '../export/endpoint-hint.ts';
import { isOtlpExportError, type OtlpExportError } from '../export/otlp-export-error.ts';

const UNREACHABLE_REASONS = new Set(UNREACHABLE.values());

interface AnyExporter {
  export(items: never, resultCallback: (result: ExportResult) => void): void;
}

interface AnyProcessor {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  readonly config?: { readonly url: string };
  processEnding?(ending: boolean): void;
}

/**
 * Remembers the export failures of one signal. The SDK's batch processors
 * report a failed export to the diag logger and resolve their flush anyway,
 * and the tracer provider swallows a processor's failed flush, so
 * `shutdown()` and `forceFlush()` ask this tracker whether the signal really
 * got its data out.
 */
export class ExportFailures {
  #count = 0;
  #last: unknown;
  #delivered = false;
  #processor: AnyProcessor | undefined;
  /** Set while the process ends, once this signal's backend was found unreachable. */
  #unreachable: OtlpExportError | undefined;
  #ending = false;
  /** While set, exports fail at once with it (see `failFast`). */
  #failFast: Error | undefined;
  /** Where otelkit's own processor sends this signal, named when a flush runs out of time. */
  destination: string | undefined;
  /** The signal, which names the failures of official exporters sending to `destination`. */
  readonly signal: string | undefined;

  constructor(signal?: string) {
    this.signal = signal;
  }

  /** The same exporter, reporting each failed export here. */
  track<E extends AnyExporter>(exporter: E): E {
    return new Proxy(exporter, {
      get: (target, property) => {
        if (property === 'export') {
          return (items: never, done: (result: ExportResult) => void) => {
            const failFast = this.#failFast;
            if (failFast !== undefined) {
              this.#fail(failFast);
              done({ code: ExportResultCode.FAILED, error: failFast });
              return;
            }
            target.export(items, (result) => {
              if (result.code === ExportResultCode.FAILED) {
                this.#fail(this.#named(result.error ?? new Error('export failed')));
              } else {
                this.#delivered = true;
              }
              done(result);
            });
          };
        }
        return bound(target, property);
      },
    });
  }

  /** The same processor, reporting here when its flush or shutdown rejects. */
  trackProcessor<P extends AnyProcessor>(processor: P): P {
    this.destination = processor.config?.url;
    this.#processor = processor;
    return new Proxy(processor, {
      get: (target, property) => {
        if (property === 'forceFlush' || property === 'shutdown') {
          return () =>
            target[property]().catch((error: unknown) => {
              this.#fail(error);
              throw error;
            });
        }
        return bound(target, property);
      },
    });
  }

  /** Runs `action`, then rejects with the last export failure that happened meanwhile. */
  async check(action: () => Promise<unknown>): Promise<void> {
    const before = this.#count;
    await action();
    if (this.#count > before) throw this.#last;
  }

  /**
   * Marks the process as ending, or going on after all: otelkit's processor
   * then stops retrying a backend that cannot be reached (see
   * `OtlpSpanProcessor.processEnding`).
   */
  processEnding(ending: boolean): void {
    this.#ending = ending;
    this.#unreachable = undefined;
    this.#processor?.processEnding?.(ending);
  }

  /** Whether a tracked exporter delivered an export once. */
  get delivered(): boolean {
    return this.#delivered;
  }

  /** While the process ends: the failure that found this signal's backend unreachable, if any. */
  get unreachable(): OtlpExportError | undefined {
    return this.#unreachable;
  }

  /** Makes every export fail at once with `error` (none: export again). */
  failFast(error: Error | undefined): void {
    this.#failFast = error;
  }

  /**
   * An official exporter's failure (`Not Found`, with its `code`), named as
   * otelkit's own: the signal, where it went, why, and what to change.
   */
  #named(error: Error): Error {
    const url = this.destination;
    if (url === undefined || this.signal === undefined || error.message.includes(url)) return error;
    const { code } = error as { code?: unknown };
    const reason = typeof code === 'number' ? `HTTP ${code} (${error.message})` : error.message;
    const hint = code === 404 ? notFoundHint(url) : undefined;
    return new Error(
      `otelkit: ${this.signal} were not exported to ${url}: ${reason}${hint === undefined ? '' : `; ${hint}`}`,
      { cause: error },
    );
  }

  #fail(error: unknown): void {
    this.#count++;
    this.#last = error;
    if (this.#ending && isOtlpExportError(error) && UNREACHABLE_REASONS.has(error.reason)) {
      this.#unreachable = error;
    }
  }
}

function bound(target: object, property: PropertyKey): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === 'function' ? value.bind(target) : value;
}
