import { describe, expect, it } from 'vitest';
import type { SloFile } from './slo-file.ts';
import { isSloFileError, SloFileError } from './slo-file-error.ts';
import { parseSloFile, validateSloFile } from './validate-slo-file.ts';

const valid: SloFile = {
  service: 'users-api',
  objectives: [
    { name: 'availability', routes: '*', objective: 0.999, window: '30d' },
    { name: 'user-latency', routes: ['GET /users/:id'], thresholdMs: 250, objective: 0.99 },
  ],
  errorAlerts: [{ name: 'CriticalErrors', severity: 'critical', maxPerMinute: 0 }],
};

/** `valid` with one field of one entry replaced (or removed with `undefined`). */
function withField(path: 'file' | 'objective' | 'alert', key: string, value: unknown): unknown {
  const copy = structuredClone(valid) as unknown as Record<string, unknown> & {
    objectives: Record<string, unknown>[];
    errorAlerts: Record<string, unknown>[];
  };
  const target =
    path === 'file' ? copy : path === 'objective' ? copy.objectives[1]! : copy.errorAlerts[0]!;
  if (value === undefined) delete target[key];
  else target[key] = value;
  return copy;
}

function errorOf(value: unknown): SloFileError {
  try {
    validateSloFile(value);
  } catch (error) {
    if (isSloFileError(error)) return error;
    throw error;
  }
  throw new Error('validateSloFile accepted the file');
}

describe('validateSloFile()', () => {
  it('returns a valid file as it is', () => {
    expect(validateSloFile(valid)).toBe(valid);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['a missing service', withField('file', 'service', undefined), 'service', /non-empty/],
    ['objectives that are not a list', withField('file', 'objectives', {}), 'objectives', /array/],
    [
      'a misspelt field',
      withField('objective', 'tresholdMs', 250),
      'objectives[1].tresholdMs',
      /unknown field/,
    ],
    ['an empty name', withField('objective', 'name', ''), 'objectives[1].name', /letters/],
    [
      'a route without a method',
      withField('objective', 'routes', ['/users/:id']),
      'objectives[1].routes[0]',
      /GET \/users\/:id/,
    ],
    [
      'a lower-case method',
      withField('objective', 'routes', ['get /users']),
      'objectives[1].routes[0]',
      /method one of/,
    ],
    ['no routes', withField('objective', 'routes', []), 'objectives[1].routes', /at least one/],
    [
      'a route twice',
      withField('objective', 'routes', ['GET /a', 'GET /a']),
      'objectives[1].routes[1]',
      /once/,
    ],
    [
      'an objective of 1',
      withField('objective', 'objective', 1),
      'objectives[1].objective',
      /below 1/,
    ],
    [
      'an objective as a percentage',
      withField('objective', 'objective', 99.9),
      'objectives[1].objective',
      /below 1/,
    ],
    [
      'a window that is not a duration',
      withField('objective', 'window', '30 days'),
      'objectives[1].window',
      /Prometheus duration/,
    ],
    [
      'a window shorter than the ticket window',
      withField('objective', 'window', '1d'),
      'objectives[1].window',
      /at least 3d/,
    ],
    [
      'a negative maxPerMinute',
      withField('alert', 'maxPerMinute', -1),
      'errorAlerts[0].maxPerMinute',
      /0 or more/,
    ],
    [
      'an unknown error category',
      withField('alert', 'category', 'db'),
      'errorAlerts[0].category',
      /database/,
    ],
    [
      'an unknown error severity',
      withField('alert', 'severity', 'fatal'),
      'errorAlerts[0].severity',
      /critical/,
    ],
    [
      'a blank alert name',
      withField('alert', 'name', '  '),
      'errorAlerts[0].name',
      /alert name as Prometheus takes it/,
    ],
    [
      'an alert name with a line break',
      withField('alert', 'name', 'critical\nerrors'),
      'errorAlerts[0].name',
      /printable/,
    ],
  ])('refuses %s, naming the field', (_, file, field, expected) => {
    const error = errorOf(file);
    expect(error).toBeInstanceOf(SloFileError);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toMatch(expected);
  });

  it.each(['critical-errors', 'Critical errors', 'erreurs critiques ✗', 'CriticalErrors'])(
    'accepts the alert name %s, as Prometheus does',
    (name) => {
      expect(() => validateSloFile(withField('alert', 'name', name))).not.toThrow();
    },
  );

  it('reports every invalid field of the file at once', () => {
    const file = {
      service: '',
      objectives: [
        { name: 'latency', routes: ['get /users'], thresholdMs: 200, objective: 99 },
        'not an objective',
      ],
      errorAlerts: [{ name: 'critical', maxPerMinute: -1, colour: 'red' }],
    };
    const error = errorOf(file);
    expect(error.problems.map((problem) => problem.field)).toEqual([
      'service',
      'objectives[0].routes[0]',
      'objectives[0].objective',
      'objectives[0].thresholdMs',
      'objectives[1]',
      'errorAlerts[0].colour',
      'errorAlerts[0].maxPerMinute',
    ]);
    expect(error.field).toBe('service');
    expect(error.message).toMatch(/^invalid SLO file: 7 problems\n {2}service = ""/);
    for (const problem of error.problems) {
      expect(error.message).toContain(problem.message.replace('invalid SLO file: ', ''));
    }
  });

  it('refuses a latency threshold between bucket bounds and lists the bounds', () => {
    const error = errorOf(withField('objective', 'thresholdMs', 200));
    expect(error.field).toBe('objectives[1].thresholdMs');
    expect(error.message).toContain('= 200');
    expect(error.message).toContain(
      '5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000',
    );
  });

  it('refuses an objective too low for the fast alert ever to fire, naming the least', () => {
    const error = errorOf(withField('objective', 'objective', 0.9));
    expect(error.field).toBe('objectives[1].objective');
    expect(error.message).toMatch(/14\.4×.*at least 0\.931/);
  });

  it('refuses two objectives with one name', () => {
    const file = { ...valid, objectives: [valid.objectives[0], valid.objectives[0]] };
    expect(errorOf(file).field).toBe('objectives[1].name');
  });

  it('accepts a file of error alerts only, and refuses one with nothing to watch', () => {
    expect(() => validateSloFile({ ...valid, objectives: [] })).not.toThrow();
    expect(errorOf({ service: 'users-api', objectives: [] }).field).toBe('objectives');
  });
});

describe('parseSloFile()', () => {
  it('names JSON syntax errors as such', () => {
    expect(() => parseSloFile('{"service": ')).toThrow(/expected JSON/);
  });

  it('parses and validates', () => {
    expect(parseSloFile(JSON.stringify(valid))).toEqual(valid);
    expect(() => parseSloFile('{"service":"a","objectives":[{}]}')).toThrow(
      /objectives\[0\]\.name[\s\S]*objectives\[0\]\.objective/,
    );
  });
});
