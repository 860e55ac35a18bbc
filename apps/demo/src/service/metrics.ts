import { counter } from 'otelkit';

/** The service's typed instruments: attributes are checked at compile time. */
export function createMetrics() {
  return {
    requests: counter<{ 'http.route': string; 'http.response.status_code': number }>(
      'demo.requests',
      { description: 'Requests served, by route and status' },
    ),
    usersCreated: counter<Record<string, never>>('demo.users.created', {
      description: 'Users created',
    }),
    mailRetries: counter<{ 'mail.template': string }>('demo.mail.retries', {
      description: 'Mail sends retried after a failure',
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
