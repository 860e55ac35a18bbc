import { currentSignal, retry, withSpan } from 'otelkit';
import type { Metrics } from './metrics.ts';
import type { User } from './users-repository.ts';

/** A mail provider answered with an error status; `classifyError` reads `status`. */
export class MailError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`mail provider answered ${status}`);
    this.name = 'MailError';
    this.status = status;
  }
}

/**
 * Sends the welcome mail with retries: 503s are retryable (the default
 * classifier says so), each retry is an event on the span, and the request's
 * signal, from the context, cancels a wait or a call in flight.
 */
export function createMailClient(baseUrl: string, metrics: Metrics) {
  return {
    sendWelcome(user: User): Promise<void> {
      return withSpan('send welcome mail', () =>
        retry(
          async ({ number, signal }) => {
            if (number > 1) metrics.mailRetries.add(1, { 'mail.template': 'welcome' });
            await post(baseUrl, { to: user.email, template: 'welcome' }, signal);
          },
          { maxAttempts: 4, initialDelayMs: 50, maxDelayMs: 400 },
        ),
      );
    },
  };
}

/** A plain `fetch`: `setup()` traces it (a CLIENT span, the trace context in its headers). */
async function post(baseUrl: string, body: unknown, signal: AbortSignal): Promise<void> {
  const response = await fetch(new URL('/send', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.any([signal, currentSignal()]),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new MailError(response.status);
}
