import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

interface Exporter<T> {
  export(items: T, resultCallback: (result: ExportResult) => void): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * An exporter whose implementation is imported on first need, so that
 * `setup()` stays synchronous and heavy transports (gRPC) cost nothing to
 * apps that do not choose them. Items exported before it loads wait for it.
 */
export class DeferredExporter<T> implements Exporter<T> {
  #exporter: Exporter<T> | undefined;
  readonly #ready: Promise<Exporter<T>>;

  constructor(load: () => Promise<Exporter<T>>) {
    this.#ready = load().then((exporter) => {
      this.#exporter = exporter;
      return exporter;
    });
    this.#ready.catch(() => {});
  }

  export(items: T, resultCallback: (result: ExportResult) => void): void {
    if (this.#exporter) {
      this.#exporter.export(items, resultCallback);
      return;
    }
    this.#ready.then(
      (exporter) => exporter.export(items, resultCallback),
      (error: Error) => resultCallback({ code: ExportResultCode.FAILED, error }),
    );
  }

  async forceFlush(): Promise<void> {
    await (await this.#ready).forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await (await this.#ready).shutdown();
  }
}
