/**
 * Whether `value` carries `brand` (a `Symbol.for` key) set to `true`: the
 * check behind every `isXError()` guard, true across two installed copies of
 * otelkit, and never throwing, even on a hostile Proxy.
 */
export function hasBrand(value: unknown, brand: symbol): boolean {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[brand] === true
    );
  } catch {
    return false;
  }
}
