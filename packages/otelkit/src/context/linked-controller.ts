import { NEVER_ABORTED } from './current-signal.ts';

/** A controller that also aborts when its parent signal does, until unlinked. */
export interface LinkedController {
  readonly signal: AbortSignal;
  /** Aborts the child with `reason` (once) and unlinks it. */
  abort(reason: unknown): void;
  /** Stops following the parent: removes the listener, so a long-lived parent keeps nothing alive. */
  unlink(): void;
}

const noop = () => {};

/**
 * Creates a child of `parent`: a plain `addEventListener` that is removed when
 * the work settles, rather than `AbortSignal.any`, whose dependants a
 * long-lived parent can retain.
 */
export function linkController(
  parent: AbortSignal,
  onAbort: (reason: unknown) => void = noop,
): LinkedController {
  const controller = new AbortController();
  const signal = controller.signal;
  let unlink = noop;
  const abort = (reason: unknown) => {
    if (signal.aborted) return;
    unlink();
    controller.abort(reason);
    onAbort(reason);
  };
  if (parent.aborted) {
    abort(parent.reason);
  } else if (parent !== NEVER_ABORTED) {
    const onParentAbort = () => abort(parent.reason);
    parent.addEventListener('abort', onParentAbort, { once: true });
    unlink = () => {
      unlink = noop;
      parent.removeEventListener('abort', onParentAbort);
    };
  }
  return { signal, abort, unlink: () => unlink() };
}
