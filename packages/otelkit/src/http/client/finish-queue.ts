/** What the queue finishes: the SDK work of a request that is over. */
export interface Finishable {
  finish(): void;
}

/** A burst larger than this is finished at once rather than held for the turn. */
const MAX_QUEUED = 1024;

let queue: Finishable[] = [];
let scheduled = false;

/**
 * Finishes `item` later in this turn of the event loop, with the others that
 * ended in it. Ending a span and recording a duration run the SDK's code;
 * run back to back, that code stays warm in the CPU's caches, where run once
 * inside each client's response handling it costs several times more. The
 * times recorded are taken when the request ended, not when it is finished.
 */
export function finishSoon(item: Finishable): void {
  queue.push(item);
  if (queue.length >= MAX_QUEUED) {
    finishQueued();
  } else if (!scheduled) {
    scheduled = true;
    queueMicrotask(finishQueued);
  }
}

/** Finishes everything queued now: before telemetry is flushed or shut down. */
export function finishQueued(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  for (const item of batch) item.finish();
}
