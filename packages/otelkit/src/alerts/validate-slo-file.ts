import type { ErrorCategory, ErrorSeverity } from '../errors/categorized-error.ts';
import {
  BURN_RATE_ALERTS,
  burnFactor,
  DEFAULT_SLO_WINDOW,
  errorBudget,
} from './burn-rate-alerts.ts';
import { parseDuration } from './duration.ts';
import { LATENCY_BOUNDS_MS } from './latency-bounds.ts';
import type { ErrorAlert, SloFile, SloObjective } from './slo-file.ts';
import { SloFileError } from './slo-file-error.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE'];
const ROUTE = new RegExp(`^(${METHODS.join('|')}) (/\\S*)$`);
const OBJECTIVE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,99}$/;
const ALERT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const CATEGORIES: readonly ErrorCategory[] = [
  'validation',
  'authentication',
  'authorization',
  'not_found',
  'conflict',
  'rate_limit',
  'timeout',
  'cancelled',
  'network',
  'database',
  'external',
  'internal',
  'unknown',
];
const SEVERITIES: readonly ErrorSeverity[] = ['low', 'medium', 'high', 'critical'];
const LONGEST_ALERT_WINDOW = BURN_RATE_ALERTS.at(-1)!.longWindow;

type Fields = Record<string, unknown>;

/**
 * Checks that `value` is a valid SLO file and returns it typed. Unknown
 * fields are refused too, so a misspelt `tresholdMs` is not silently an
 * availability objective.
 *
 * @throws {SloFileError} naming the first invalid field, its value and what was expected.
 * @example
 * const slo = validateSloFile(JSON.parse(readFileSync('slo.json', 'utf8')));
 */
export function validateSloFile(value: unknown): SloFile {
  const file = object(value, '(file)', ['service', 'objectives', 'errorAlerts']);
  const service = file.service;
  if (typeof service !== 'string' || service.trim() === '' || /[\p{Cc}]/u.test(service)) {
    throw new SloFileError('service', service, 'expected the service name, a non-empty string');
  }
  const objectives = list(file.objectives, 'objectives');
  const names = new Set<string>();
  objectives.forEach((objective, i) => {
    const { name } = validateObjective(objective, `objectives[${i}]`);
    if (names.has(name)) {
      throw new SloFileError(
        `objectives[${i}].name`,
        name,
        'expected a name no other objective has',
      );
    }
    names.add(name);
  });
  const alerts = file.errorAlerts === undefined ? [] : list(file.errorAlerts, 'errorAlerts');
  const alertNames = new Set<string>();
  alerts.forEach((alert, i) => {
    const { name } = validateErrorAlert(alert, `errorAlerts[${i}]`);
    if (alertNames.has(name)) {
      throw new SloFileError(`errorAlerts[${i}].name`, name, 'expected a name no other alert has');
    }
    alertNames.add(name);
  });
  if (objectives.length === 0 && alerts.length === 0) {
    throw new SloFileError(
      'objectives',
      objectives,
      'expected at least one objective or error alert',
    );
  }
  return value as SloFile;
}

/** Parses and validates the text of an SLO file (JSON). @throws {SloFileError} */
export function parseSloFile(text: string): SloFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SloFileError(
      '(file)',
      text.slice(0, 40),
      `expected JSON (${(error as Error).message})`,
    );
  }
  return validateSloFile(value);
}

function validateObjective(value: unknown, at: string): SloObjective {
  const fields = object(value, at, ['name', 'routes', 'objective', 'window', 'thresholdMs']);
  const { name, routes, objective, window = DEFAULT_SLO_WINDOW, thresholdMs } = fields;
  if (typeof name !== 'string' || !OBJECTIVE_NAME.test(name)) {
    throw new SloFileError(
      `${at}.name`,
      name,
      'expected 1 to 100 letters, digits, spaces or _ . : / -, starting with a letter or digit',
    );
  }
  if (routes !== '*') {
    const routeList = list(routes, `${at}.routes`);
    if (routeList.length === 0) {
      throw new SloFileError(`${at}.routes`, routes, "expected at least one route, or '*'");
    }
    routeList.forEach((route, i) => {
      if (typeof route !== 'string' || !ROUTE.test(route)) {
        throw new SloFileError(
          `${at}.routes[${i}]`,
          route,
          `expected "{method} {route}" as otelkit names server spans, e.g. "GET /users/:id" (method one of ${METHODS.join(', ')})`,
        );
      }
      if (routeList.indexOf(route) !== i) {
        throw new SloFileError(`${at}.routes[${i}]`, route, 'expected each route once');
      }
    });
  }
  const windowMs = typeof window === 'string' ? parseDuration(window) : undefined;
  if (windowMs === undefined || windowMs < parseDuration(LONGEST_ALERT_WINDOW)!) {
    throw new SloFileError(
      `${at}.window`,
      window,
      `expected a Prometheus duration of at least ${LONGEST_ALERT_WINDOW} (the longest alert window), e.g. "30d"`,
    );
  }
  if (typeof objective !== 'number' || !(objective > 0 && objective < 1)) {
    throw new SloFileError(
      `${at}.objective`,
      objective,
      'expected a number above 0 and below 1, e.g. 0.999',
    );
  }
  const fastest = burnFactor(BURN_RATE_ALERTS[0]!, window as string);
  if (fastest * errorBudget(objective) >= 1) {
    const least = Math.ceil((1 - 1 / fastest) * 1000) / 1000;
    throw new SloFileError(
      `${at}.objective`,
      objective,
      `the fast page alert fires at ${fastest}× the error budget, which is more than every request failing; expected at least ${least}`,
    );
  }
  if (thresholdMs !== undefined && !LATENCY_BOUNDS_MS.includes(thresholdMs as number)) {
    throw new SloFileError(
      `${at}.thresholdMs`,
      thresholdMs,
      `expected one of the bucket bounds of http.server.request.duration, in ms: ${LATENCY_BOUNDS_MS.join(', ')}`,
    );
  }
  return value as SloObjective;
}

function validateErrorAlert(value: unknown, at: string): ErrorAlert {
  const fields = object(value, at, ['name', 'category', 'severity', 'maxPerMinute', 'page']);
  const { name, category, severity, maxPerMinute, page } = fields;
  if (typeof name !== 'string' || !ALERT_NAME.test(name)) {
    throw new SloFileError(
      `${at}.name`,
      name,
      'expected an alert name: letters, digits and _, not starting with a digit, e.g. "CriticalErrors"',
    );
  }
  if (category !== undefined && !CATEGORIES.includes(category as ErrorCategory)) {
    throw new SloFileError(`${at}.category`, category, `expected one of ${CATEGORIES.join(', ')}`);
  }
  if (severity !== undefined && !SEVERITIES.includes(severity as ErrorSeverity)) {
    throw new SloFileError(`${at}.severity`, severity, `expected one of ${SEVERITIES.join(', ')}`);
  }
  if (typeof maxPerMinute !== 'number' || !Number.isFinite(maxPerMinute) || maxPerMinute < 0) {
    throw new SloFileError(`${at}.maxPerMinute`, maxPerMinute, 'expected a number, 0 or more');
  }
  if (page !== undefined && typeof page !== 'boolean') {
    throw new SloFileError(`${at}.page`, page, 'expected true or false');
  }
  return value as ErrorAlert;
}

function object(value: unknown, at: string, known: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SloFileError(at, value, 'expected an object');
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path = at === '(file)' ? key : `${at}.${key}`;
      throw new SloFileError(
        path,
        (value as Fields)[key],
        `unknown field; expected one of ${known.join(', ')}`,
      );
    }
  }
  return value as Fields;
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new SloFileError(at, value, 'expected an array');
  return value;
}
