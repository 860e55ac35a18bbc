import { hasBrand } from '../internal/brand.ts';

const BRAND = Symbol.for('otelkit.OtlpExportError');

/**
 * How `forceFlush()` and `shutdown()` of the OTLP processors reject when
 * records did not reach the backend: the message names the endpoint and the
 * reason (`connection refused`, `HTTP 404`, `timeout after 10000 ms`).
 */
export class OtlpExportError extends Error {
  override readonly name = 'OtlpExportError';
  /** The signal URL requests went to. */
  readonly url: string;
  /** Why the last failed attempt failed. */
  readonly reason: string;
  /** Records that were not delivered. */
  readonly lost: number;
  readonly [BRAND] = true;

  /** @param items what was exported, in the plural: `spans`, `log records`, `metric data points`. */
  constructor(items: string, url: string, reason: string, lost: number) {
    const what = lost === 1 ? `1 ${items.replace(/s$/, '')} was` : `${lost} ${items} were`;
    super(`otelkit: ${what} not exported to ${url}: ${reason}`);
    this.url = url;
    this.reason = reason;
    this.lost = lost;
  }
}

/** True for an `OtlpExportError`, even one from another installed copy of otelkit. */
export function isOtlpExportError(error: unknown): error is OtlpExportError {
  return hasBrand(error, BRAND);
}
