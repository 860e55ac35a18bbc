import { hasBrand } from '../internal/brand.ts';
import { countOf } from '../internal/count-of.ts';

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

  /** `items`: what the records are, in the plural (`spans`, `log records`). */
  constructor(items: string, url: string, reason: string, lost: number) {
    super(
      `otelkit: ${countOf(lost, items)} ${lost === 1 ? 'was' : 'were'} not exported to ${url}: ${reason}`,
    );
    this.url = url;
    this.reason = reason;
    this.lost = lost;
  }
}

/** True for an `OtlpExportError`, even one from another installed copy of otelkit. */
export function isOtlpExportError(error: unknown): error is OtlpExportError {
  return hasBrand(error, BRAND);
}
