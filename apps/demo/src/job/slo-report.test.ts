import { evaluateSlo } from 'otelkit/alerts';
import { describe, expect, it } from 'vitest';
import { slo } from '../service/slo.ts';
import { errorCounts, formatSloReport, routeTraffic } from './slo-report.ts';
import type { MetricPoint } from './viewer-client.ts';

/** A latest `http.server.request.duration` point as the viewer's API returns it (OTLP/JSON). */
function durationPoint(
  method: string,
  route: string,
  status: number,
  buckets: number[],
): MetricPoint {
  const bounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
  return {
    attributes: [
      { key: 'http.request.method', value: { stringValue: method } },
      { key: 'http.route', value: { stringValue: route } },
      { key: 'http.response.status_code', value: { intValue: String(status) } },
    ],
    count: String(buckets.reduce((a, b) => a + b, 0)),
    explicitBounds: bounds,
    bucketCounts: [...buckets, ...Array(bounds.length + 1 - buckets.length).fill(0)].map(String),
  };
}

describe("the main job's SLO report", () => {
  const points = [
    // GET /users/:id: 90 fast, 8 between 100 and 250 ms, 2 slower than 250 ms.
    durationPoint('GET', '/users/:id', 200, [0, 0, 50, 30, 10, 0, 8, 2]),
    durationPoint('GET', '/users/:id/report', 200, [0, 0, 86]),
    durationPoint('GET', '/users/:id/report', 500, [0, 0, 14]),
  ];

  it('adds up requests, 5xx answers and requests within each bound per route', () => {
    expect(routeTraffic(points)).toEqual([
      expect.objectContaining({
        route: 'GET /users/:id',
        requests: 100,
        serverErrors: 0,
        atMostMs: expect.objectContaining({ 100: 90, 250: 98, 500: 100, 10000: 100 }),
      }),
      expect.objectContaining({ route: 'GET /users/:id/report', requests: 100, serverErrors: 14 }),
    ]);
  });

  it('reads errors per type', () => {
    const errors = errorCounts([
      {
        attributes: [
          { key: 'error.type', value: { stringValue: 'Error' } },
          { key: 'error.category', value: { stringValue: 'unknown' } },
          { key: 'error.severity', value: { stringValue: 'medium' } },
        ],
        asInt: '14',
      },
    ]);
    expect(errors).toEqual([{ type: 'Error', category: 'unknown', severity: 'medium', count: 14 }]);
  });

  it('says which SLOs were missed, which alerts would have fired and who would be paged', () => {
    const report = formatSloReport(
      evaluateSlo(slo, {
        routes: routeTraffic(points),
        errors: [{ type: 'Error', category: 'unknown', severity: 'medium', count: 14 }],
        minutes: 0.5,
      }),
      'test',
    );
    const lines = report.split('\n').map((line) => line.trim().split(/\s{2,}/));
    expect(lines).toContainEqual([
      'met',
      'availability',
      'GET /users/:id',
      '0.00% of 100 bad',
      'budget 0.10%',
    ]);
    expect(lines).toContainEqual([
      'missed',
      'availability',
      'GET /users/:id/report',
      '14.0% of 100 bad',
      'budget 0.10%',
      'alerts: SloFastBurn (page), SloSlowBurn (page), SloSteadyBurn (ticket)',
    ]);
    expect(lines).toContainEqual([
      'missed',
      'GET /users/:id latency',
      'GET /users/:id',
      '2.0% of 100 bad',
      'budget 1.0%',
      'alerts: SloSteadyBurn (ticket)',
    ]);
    expect(report).toContain('Error alerts: UnclassifiedErrors (Error, 14)');
    expect(report).toContain('Paged for: GET /users/:id/report');
  });
});
