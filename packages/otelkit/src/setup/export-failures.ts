import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

interface AnyExporter {
  export(items: never, resultCallback: (result: ExportResult) => void): void;
}

interface AnyProcessor {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  readonly config?: { readonly url: string };
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
  /** Where otelkit's own processor sends this signal, named when a flush runs out of time. */
  destination: string | undefined;

  /** The same exporter, reporting each failed export here. */
  track<E extends AnyExporter>(exporter: E): E {
    return new Proxy(exporter, {
      get: (target, property) => {
        if (property === 'export') {
          return (items: never, done: (result: ExportResult) => void) =>
            target.export(items, (result) => {
              if (result.code === ExportResultCode.FAILED) {
                this.#fail(result.error ?? new Error('export failed'));
              }
              done(result);
            });
        }
        return bound(target, property);
      },
    });
  }

  /** The same processor, reporting here when its flush or shutdown rejects. */
  trackProcessor<P extends AnyProcessor>(processor: P): P {
    this.destination = processor.config?.url;
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

  #fail(error: unknown): void {
    this.#count++;
    this.#last = error;
  }
}

function bound(target: object, property: PropertyKey): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === 'function' ? value.bind(target) : value;
}
