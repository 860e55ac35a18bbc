// SLOs declared once, beside the latency targets the HTTP adapter measures,
// and the Prometheus rules written from them: burn-rate alerts per route and
// alerts on recorded errors. `npx otelkit rules slo.json` writes the same.
// expect-output: 25 rules: 15 recording, 10 alerting
// expect-output: - alert: SloFastBurn
// expect-output: missed availability on GET /users/:id/report: SloFastBurn (page), SloSlowBurn (page), SloSteadyBurn (ticket)
// expect-output: invalid SLO file: objectives[0].thresholdMs = 200
import {
  evaluateSlo,
  isSloFileError,
  latencyObjectives,
  prometheusRules,
  type SloFile,
} from 'otelkit/alerts';

// The object the app passes to its adapter: `app.register(otelkitPlugin, { sla })`.
const sla = { 'GET /users/:id': 250, 'GET /users': 250 };

const slo: SloFile = {
  service: 'users-api',
  objectives: [
    { name: 'availability', routes: '*', objective: 0.999, window: '30d' },
    ...latencyObjectives(sla, { objective: 0.99 }),
  ],
  errorAlerts: [{ name: 'CriticalErrors', severity: 'critical', maxPerMinute: 0 }],
};

const rules = prometheusRules(slo, {
  linkTemplate: 'https://grafana.example.com/d/http?var-service={service}&var-route={route}',
});
const count = (kind: string) => rules.split(`- ${kind}:`).length - 1;
console.log(
  `${count('record') + count('alert')} rules: ${count('record')} recording, ${count('alert')} alerting`,
);
console.log(
  rules.slice(
    rules.indexOf('      - alert: SloFastBurn'),
    rules.indexOf('      - alert: SloSlowBurn'),
  ),
);

// What the rules would say of a period's traffic: a route failing 14% of the time burns a
// 0.1% budget 140 times too fast.
const { objectives } = evaluateSlo(slo, {
  minutes: 5,
  routes: [
    { route: 'GET /users/:id/report', requests: 700, serverErrors: 98 },
    { route: 'GET /users/:id', requests: 2000, serverErrors: 0, atMostMs: { 250: 1995 } },
  ],
});
for (const verdict of objectives) {
  const alerts = verdict.firing.map((f) => `${f.alert} (${f.severity})`).join(', ');
  console.log(
    `${verdict.met ? 'met' : 'missed'} ${verdict.slo} on ${verdict.route}: ${alerts || 'quiet'}`,
  );
}

// A threshold between two bucket bounds cannot be counted by Prometheus: refused, naming the field.
try {
  prometheusRules({
    service: 'users-api',
    objectives: [{ ...slo.objectives[1]!, thresholdMs: 200 }],
  });
} catch (error) {
  if (!isSloFileError(error)) throw error;
  console.log(error.message);
}
