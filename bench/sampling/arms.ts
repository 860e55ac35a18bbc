// The arms of the sampling benchmark, and the service's traffic mix.
import type { SetupOptions } from 'otelkit/setup';

/** `all`: every span exported; `head`: `sampleRatio` 10 %; `tail`: tail sampling at 10 %, errors and slow kept. */
export const ARMS = ['all', 'head', 'tail'] as const;
export type ArmName = (typeof ARMS)[number];

/** The share of ordinary traces the sampling arms keep. */
export const RATIO = 0.1;
/** How long a slow request takes, and the threshold over which tail sampling keeps it. */
export const SLOW_MS = 300;
export const KEEP_SLOWER_THAN_MS = 250;
/** Spans each request makes: the server span and two under it. */
export const SPANS_PER_REQUEST = 3;

/** The kinds of request, and the path each is sent to. */
export type Kind = 'ok' | 'fail' | 'slow';

/** One request in a hundred fails, one in a hundred is slow: the position of each in a cycle of 100. */
export function kindAt(index: number): Kind {
  const at = index % 100;
  return at === 37 ? 'fail' : at === 73 ? 'slow' : 'ok';
}

/** The `setup()` options of each arm. */
export function setupOptions(arm: ArmName): SetupOptions {
  const service = { name: `bench-sampling-${arm}` };
  if (arm === 'head') return { service, sampleRatio: RATIO };
  if (arm === 'tail') {
    return { service, sampling: { ratio: RATIO, keepSlowerThanMs: KEEP_SLOWER_THAN_MS } };
  }
  return { service };
}
