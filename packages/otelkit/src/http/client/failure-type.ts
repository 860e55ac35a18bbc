/**
 * The `error.type` of an outgoing request that ended without a full response:
 * the error's code (`ECONNREFUSED`, `UND_ERR_SOCKET`) or else its name
 * (`TimeoutError`), or `undefined` when the caller gave up on it: an abort
 * through an `AbortSignal`, a cancelled body, a destroyed request, or undici
 * dropping the body of a response that was garbage-collected (a plain reason,
 * not an error). An abort caused by `AbortSignal.timeout()` is a timeout, and
 * is an error.
 */
export function failureType(error: unknown, destroyedByCaller = false): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown };
    if (name === 'AbortError') {
      return (cause as { name?: unknown } | undefined)?.name === 'TimeoutError'
        ? 'TimeoutError'
        : undefined;
    }
    if (destroyedByCaller) return undefined;
    if (typeof code === 'string' && code !== '') return code;
    if (typeof name === 'string' && name !== '') return name;
    return 'Error';
  } catch {
    // A hostile error (throwing getters) is still an error.
    return 'Error';
  }
}
