import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

/** An exporter of any signal that always fails, as a dead backend would. */
export class FailingExporter<T> {
  readonly #message: string;
  attempts = 0;
  constructor(message: string) {
    this.#message = message;
  }
  export(_items: T, done: (result: ExportResult) => void): void {
    this.attempts++;
    done({ code: ExportResultCode.FAILED, error: new Error(this.#message) });
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** An exporter of any signal that keeps what it was given. */
export class RecordingExporter<T> {
  readonly exported: T[] = [];
  export(items: T, done: (result: ExportResult) => void): void {
    this.exported.push(items);
    done({ code: ExportResultCode.SUCCESS });
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Collects otelkit's process warnings until `stop()`. */
export function captureWarnings(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'OtelkitWarning') messages.push(warning.message);
  };
  process.on('warning', onWarning);
  return { messages, stop: () => process.off('warning', onWarning) };
}
