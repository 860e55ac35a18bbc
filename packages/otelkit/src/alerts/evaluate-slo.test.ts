import { describe, expect, it } from 'vitest';
import { evaluateSlo } from './evaluate-slo.ts';
import { latencyObjectives } from './latency-objectives.ts';
import type { SloFile } from './slo-file.ts';

const slo: SloFile = {
  service: 'users-api',
  objectives: [
    { name: 'availability', routes: '*', objective: 0.999 },
    ...latencyObjectives({ 'GET /users/:id': 250 }, { objective: 0.99 }),
  ],
  errorAlerts: [
    { name: 'CriticalErrors', severity: 'critical', maxPerMinute: 0 },
    { name: 'DatabaseErrors', category: 'database', maxPerMinute: 5 },
  ],
};

describe('evaluateSlo()', () => {
  it('fires the tiers whose burn-rate threshold the bad fraction passes, and no other', () => {
    const { objectives } = evaluateSlo(slo, {
      minutes: 0.5,
      routes: [
        { route: 'GET /users/:id/report', requests: 1000, serverErrors: 140 },
        { route: 'POST /users', requests: 1000, serverErrors: 3 },
        { route: 'GET /users', requests: 1000, serverErrors: 0 },
      ],
    });
    const firing = Object.fromEntries(
      objectives.map((v) => [v.route, v.firing.map((f) => `${f.alert}/${f.severity}`)]),
    );
    expect(firing).toEqual({
      // 14% is a 140× burn of a 0.1% budget; 0.3% is 3×: only the ticket.
      'GET /users/:id/report': ['SloFastBurn/page', 'SloSlowBurn/page', 'SloSteadyBurn/ticket'],
      'POST /users': ['SloSteadyBurn/ticket'],
      'GET /users': [],
    });
    expect(objectives.map((v) => [v.route, v.met])).toEqual([
      ['GET /users/:id/report', false],
      ['POST /users', false],
      ['GET /users', true],
    ]);
  });

  it('judges latency by the requests within the threshold bucket, on the covered routes only', () => {
    const { objectives } = evaluateSlo(slo, {
      minutes: 1,
      routes: [
        {
          route: 'GET /users/:id',
          requests: 200,
          serverErrors: 0,
          atMostMs: { 100: 150, 250: 196 },
        },
        { route: 'GET /users', requests: 200, serverErrors: 0, atMostMs: { 250: 10 } },
      ],
    });
    const latency = objectives.filter((v) => v.slo === 'GET /users/:id latency');
    expect(latency).toEqual([
      {
        slo: 'GET /users/:id latency',
        route: 'GET /users/:id',
        requests: 200,
        badRatio: 0.02,
        budget: 0.01,
        met: false,
        firing: [{ alert: 'SloSteadyBurn', severity: 'ticket' }],
      },
    ]);
  });

  it('gives no verdict on routes without traffic', () => {
    const { objectives } = evaluateSlo(slo, {
      minutes: 1,
      routes: [{ route: 'GET /users', requests: 0, serverErrors: 0 }],
    });
    expect(objectives).toEqual([]);
  });

  it('fires error alerts per error type past their per-minute limit', () => {
    const { errorAlerts } = evaluateSlo(slo, {
      minutes: 2,
      routes: [],
      errors: [
        { type: 'InvariantError', category: 'internal', severity: 'critical', count: 1 },
        { type: 'SQLITE_BUSY', category: 'database', severity: 'high', count: 30 },
        { type: 'DatabaseError', category: 'database', severity: 'medium', count: 8 },
        { type: 'ApiError', category: 'not_found', severity: 'low', count: 500 },
      ],
    });
    expect(errorAlerts.map((v) => [v.alert, v.type, v.perMinute, v.firing])).toEqual([
      ['CriticalErrors', 'InvariantError', 0.5, true],
      ['DatabaseErrors', 'SQLITE_BUSY', 15, true],
      ['DatabaseErrors', 'DatabaseError', 4, false],
    ]);
  });
});
