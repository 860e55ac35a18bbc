import { describe, expect, it } from 'vitest';
import { latencyObjectives } from './latency-objectives.ts';
import { prometheusRules } from './prometheus-rules.ts';
import { isSloFileError, type SloFileError } from './slo-file-error.ts';
import { validateSloFile } from './validate-slo-file.ts';

function errorOf(sla: Record<string, number>): SloFileError {
  try {
    latencyObjectives(sla, { objective: 0.99 });
  } catch (error) {
    if (isSloFileError(error)) return error;
    throw error;
  }
  throw new Error('latencyObjectives accepted the targets');
}

describe('latencyObjectives()', () => {
  it('makes one objective per route, named after it, that the SLO file and the rules take', () => {
    const objectives = latencyObjectives(
      { 'GET /users/:id': 250, 'POST /users': 500 },
      { objective: 0.99, window: '28d' },
    );
    expect(objectives).toEqual([
      {
        name: 'GET /users/:id latency',
        routes: ['GET /users/:id'],
        thresholdMs: 250,
        objective: 0.99,
        window: '28d',
      },
      {
        name: 'POST /users latency',
        routes: ['POST /users'],
        thresholdMs: 500,
        objective: 0.99,
        window: '28d',
      },
    ]);
    const slo = validateSloFile({ service: 'users-api', objectives });
    expect(prometheusRules(slo)).toContain('le="0.25"');
  });

  it('refuses a target that is not a bucket bound where it is built, naming the route', () => {
    const error = errorOf({ 'GET /users/:id': 200 });
    expect(error.field).toBe('sla["GET /users/:id"]');
    expect(error.message).toContain(
      'sla["GET /users/:id"] = 200: expected one of the bucket bounds',
    );
    expect(error.message).toContain('100, 250, 500');
  });

  it('names every target that is not a bucket bound at once', () => {
    const error = errorOf({ 'GET /a': 200, 'GET /b': 250, 'GET /c': 300 });
    expect(error.problems.map((problem) => problem.field)).toEqual([
      'sla["GET /a"]',
      'sla["GET /c"]',
    ]);
  });
});
