import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceProcess } from './service-process.ts';

/** Where to look for a service that is ready. */
export interface ReadinessOptions {
  /** Polled until it answers below 500; otherwise `port`, otherwise the first URL the service prints. */
  readyUrl?: string | undefined;
  /** Polled as `http://127.0.0.1:<port>/`. */
  port?: number | undefined;
  timeoutMs: number;
}

const POLL_MS = 100;

/**
 * Polls until the service answers HTTP; resolves with the URL that answered.
 * Rejects with a message that says what it waited for when the service exits
 * first or the timeout passes.
 */
export async function waitUntilReady(
  service: ServiceProcess,
  options: ReadinessOptions,
): Promise<string> {
  const deadline = performance.now() + options.timeoutMs;
  const fixed =
    options.readyUrl ??
    (options.port === undefined ? undefined : `http://127.0.0.1:${options.port}/`);
  let lastProblem = 'it printed no URL (give --ready <url> or --port <n>)';
  for (;;) {
    if (service.exit !== undefined) {
      const { code, signal, error } = service.exit;
      if (error !== undefined) throw new Error(error);
      throw new Error(
        `the service exited (${signal ?? `code ${code}`}) before it was ready: ${lastProblem}`,
      );
    }
    const left = deadline - performance.now();
    if (left <= 0) break;
    const url = fixed ?? service.printedUrl;
    if (url !== undefined) {
      try {
        const response = await fetch(url, {
          signal: AbortSignal.timeout(Math.max(1, Math.min(1000, left))),
          redirect: 'manual',
        });
        await response.body?.cancel();
        if (response.status < 500) return url;
        lastProblem = `${url} answered ${response.status}`;
      } catch (error) {
        lastProblem = `${url} did not answer (${describe(error)})`;
      }
    }
    await Promise.race([sleep(POLL_MS), service.exited]);
  }
  throw new Error(
    `the service did not become ready within ${options.timeoutMs / 1000} s: ${lastProblem}`,
  );
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
