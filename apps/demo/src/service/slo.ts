import { latencyObjectives, type SloFile } from 'otelkit/alerts';

/**
 * The latency targets of the users service, per route: the Fastify plugin's
 * `sla` option, and the latency objectives of `slo` below. Each target is a
 * bucket bound of `http.server.request.duration`, so Prometheus can count the
 * requests that meet it.
 */
export const sla: Readonly<Record<string, number>> = {
  'GET /users/:id': 250,
  'GET /users': 250,
};

/** The routes of the users API. */
const USER_ROUTES = [
  'GET /users',
  'GET /users/:id',
  'POST /users',
  'DELETE /users/:id',
  'GET /users/:id/report',
];

/**
 * The users service's SLOs, declared once: `slo.json` and `prometheus-rules.yml`
 * beside `package.json` are written from this object by `write-slo.ts`.
 */
export const slo: SloFile = {
  service: 'users-api',
  objectives: [
    // The users API's own routes: the mail provider it calls is another service.
    { name: 'availability', routes: USER_ROUTES, objective: 0.999, window: '30d' },
    ...latencyObjectives(sla, { objective: 0.99, window: '30d' }),
  ],
  errorAlerts: [
    { name: 'CriticalErrors', severity: 'critical', maxPerMinute: 0 },
    // An error no rule classifies is a bug nobody has looked at yet: a ticket.
    { name: 'UnclassifiedErrors', category: 'unknown', maxPerMinute: 0, page: false },
  ],
};
