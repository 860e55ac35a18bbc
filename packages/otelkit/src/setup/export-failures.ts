import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

interface AnyExporter {
  export(items: never, resultCallback: (result: ExportResult) => void): void;
}

/**
 * Remembers the export failures of one signal. The SDK's batch processors
 * report a failed export to the diag logger and resolve their flush anyway
 * (the log processor does), so `shutdown()` asks this tracker whether the
 * signal really got its data out.
 */
export class ExportFailures {
  #count = 0;
  #last: Error | undefined;

  /** The same exporter, reporting each failed export here. */
  track<E extends AnyExporter>(exporter: E): E {
    return new Proxy(exporter, {
      get: (target, property) => {
        if (property === 'export') {
          return (items: never, done: (result: ExportResult) => void) =>
            target.export(items, (result) => {
              if (result.code === ExportResultCode.FAILED) {
                this.#count++;
                this.#last = result.error ?? new Error('export failed');
              }
              done(result);
            });
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** Runs `action`, then rejects with the last export failure that happened meanwhile. */
  async check(action: () => Promise<unknown>): Promise<void> {
    const before = this.#count;
    await action();
    if (this.#count > before) throw this.#last;
  }
}
