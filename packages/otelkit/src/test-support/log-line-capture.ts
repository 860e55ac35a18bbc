import { trace } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { TestTelemetry } from '../testing/index.ts';

/** A destination that keeps every line a logger writes, as written. */
export interface LineSink {
  readonly lines: string[];
  write(line: string): void;
  /** The lines parsed. */
  parsed(): Record<string, unknown>[];
}

/** A destination that keeps every line. */
export function lineSink(): LineSink {
  const lines: string[] = [];
  return {
    lines,
    write: (line) => void lines.push(line),
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Runs `fn` inside a new active span that ends after it. */
export function inSpan<T>(name: string, fn: () => T): T {
  return trace.getTracer('test').startActiveSpan(name, (span) => {
    try {
      return fn();
    } finally {
      span.end();
    }
  });
}

/** The attributes of a record, with the JSON text ones parsed back, to compare with a line. */
export function attributesOf(record: ReadableLogRecord | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record?.attributes ?? {})) {
    attributes[key] =
      typeof value === 'string' && /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value;
  }
  return attributes;
}

/**
 * Everything the test telemetry exported, as one text: each log record's
 * body, severity and attributes, and each span's name, attributes, events
 * and status. A secret that is not in it reached no signal.
 */
export function exportedText(telemetry: TestTelemetry): string {
  const records = telemetry.logs().map((record) => ({
    body: record.body,
    severityText: record.severityText,
    attributes: record.attributes,
  }));
  const spans = telemetry.spans().map((span) => ({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    status: span.status,
  }));
  return JSON.stringify({ records, spans });
}
