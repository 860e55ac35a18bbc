import { OtlpExportError } from './otlp-export-error.ts';
import type { SealedGroup } from './record-buffer.ts';

/** One request: a sealed batch on its way, and how it ended. */
export interface ExportJob {
  /** The request body, written when the batch was sealed. */
  body: Buffer | undefined;
  /** The pooled buffer under `body`, to give back once the request is over. */
  pooled: Buffer | undefined;
  /** Copies of the records, when a resource was still detecting attributes at sealing. */
  groups: readonly SealedGroup[] | undefined;
  readonly count: number;
  readonly bytes: number;
  started: boolean;
  finished: boolean;
  /** Records not delivered, once finished. */
  undelivered: number;
  /** Why the last attempt failed, for people and as `error.type`. */
  failure: string | undefined;
  failureType: string | undefined;
  readonly done: Promise<void>;
  readonly settle: () => void;
}

/** A job not yet started, for `count` records of `bytes` encoded bytes. */
export function newJob(
  count: number,
  bytes: number,
  request: { body: Buffer; pooled: Buffer } | { groups: readonly SealedGroup[] },
): ExportJob {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return {
    body: 'body' in request ? request.body : undefined,
    pooled: 'pooled' in request ? request.pooled : undefined,
    groups: 'groups' in request ? request.groups : undefined,
    count,
    bytes,
    started: false,
    finished: false,
    undelivered: 0,
    failure: undefined,
    failureType: undefined,
    done,
    settle,
  };
}

/**
 * Waits for `jobs` to end, up to `timeoutMs`; false when the time ran out.
 * The deadline timer keeps the process alive meanwhile, as an awaited
 * flush or shutdown should.
 */
export async function jobsSettled(jobs: readonly ExportJob[], timeoutMs: number): Promise<boolean> {
  if (jobs.every((job) => job.finished)) return true;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const all = Promise.all(jobs.map((job) => job.done)).then(() => true as const);
  try {
    return await Promise.race([all, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The error for the records of `jobs` that did not reach the backend
 * (finished undelivered, or still going: `pending` says so), naming the
 * endpoint and the reason; `undefined` when every record was delivered.
 */
export function undeliveredError(
  jobs: readonly ExportJob[],
  items: string,
  url: string,
  timeoutMs: number,
  pending: string | undefined,
): OtlpExportError | undefined {
  let lost = 0;
  let reason: string | undefined;
  for (const job of jobs) {
    const missing = job.finished ? job.undelivered : job.count;
    if (missing === 0) continue;
    lost += missing;
    reason = job.failure ?? `timeout after ${timeoutMs} ms`;
    if (!job.finished && pending) reason += ` (${pending})`;
  }
  return lost > 0 ? new OtlpExportError(items, url, reason!, lost) : undefined;
}
