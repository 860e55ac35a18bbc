import type { ErrorCategory, ErrorSeverity } from '../errors/categorized-error.ts';
import {
  BURN_RATE_ALERTS,
  burnFactor,
  DEFAULT_SLO_WINDOW,
  errorBudget,
} from './burn-rate-alerts.ts';
import { parseDuration } from './duration.ts';
import { thresholdProblem } from './latency-bounds.ts';
import type { SloFile } from './slo-file.ts';
import { SloFileError } from './slo-file-error.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE'];
const ROUTE = new RegExp(`^(${METHODS.join('|')}) (/\\S*)$`);
const OBJECTIVE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,99}$/;
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
/** Where the problems of one file are collected, so that one run reports them all. */
type Problems = SloFileError[];

/**
 * Checks that `value` is a valid SLO file and returns it typed. Unknown
 * fields are refused too, so a misspelt `tresholdMs` is not silently an
 * availability objective.
 *
 * @throws {SloFileError} naming every invalid field, its value and what was expected.
 * @example
 * const slo = validateSloFile(JSON.parse(readFileSync('slo.json', 'utf8')));
 */
export function validateSloFile(value: unknown): SloFile {
  const problems: Problems = [];
  const file = object(value, '(file)', ['service', 'objectives', 'errorAlerts'], problems);
  if (file === undefined) throw SloFileError.all(problems);
  const service = file.service;
  if (typeof service !== 'string' || service.trim() === '' || /[\p{Cc}]/u.test(service)) {
    problems.push(
      new SloFileError('service', service, 'expected the service name, a non-empty string'),
    );
  }
  const objectives = list(file.objectives, 'objectives', problems) ?? [];
  const names = new Set<string>();
  objectives.forEach((objective, i) => {
    const name = validateObjective(objective, `objectives[${i}]`, problems);
    if (name === undefined) return;
    if (names.has(name)) {
      problems.push(
        new SloFileError(`objectives[${i}].name`, name, 'expected a name no other objective has'),
      );
    }
    names.add(name);
  });
  const alerts =
    file.errorAlerts === undefined ? [] : (list(file.errorAlerts, 'errorAlerts', problems) ?? []);
  const alertNames = new Set<string>();
  alerts.forEach((alert, i) => {
    const name = validateErrorAlert(alert, `errorAlerts[${i}]`, problems);
    if (name === undefined) return;
    if (alertNames.has(name)) {
      problems.push(
        new SloFileError(`errorAlerts[${i}].name`, name, 'expected a name no other alert has'),
      );
    }
    alertNames.add(name);
  });
  if (Array.isArray(file.objectives) && objectives.length === 0 && alerts.length === 0) {
    problems.push(
      new SloFileError('objectives', objectives, 'expected at least one objective or error alert'),
    );
  }
  if (problems.length > 0) throw SloFileError.all(problems);
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

/** Checks one objective; its name when it has a valid one. */
function validateObjective(value: unknown, at: string, problems: Problems): string | undefined {
  const fields = object(
    value,
    at,
    ['name', 'routes', 'objective', 'window', 'thresholdMs'],
    problems,
  );
  if (fields === undefined) return undefined;
  const { name, routes, objective, window = DEFAULT_SLO_WINDOW, thresholdMs } = fields;
  const validName = typeof name === 'string' && OBJECTIVE_NAME.test(name);
  if (!validName) {
    problems.push(
      new SloFileError(
        `${at}.name`,
        name,
        'expected 1 to 100 letters, digits, spaces or _ . : / -, starting with a letter or digit',
      ),
    );
  }
  if (routes !== '*') validateRoutes(routes, `${at}.routes`, problems);
  const windowMs = typeof window === 'string' ? parseDuration(window) : undefined;
  const validWindow = windowMs !== undefined && windowMs >= parseDuration(LONGEST_ALERT_WINDOW)!;
  if (!validWindow) {
    problems.push(
      new SloFileError(
        `${at}.window`,
        window,
        `expected a Prometheus duration of at least ${LONGEST_ALERT_WINDOW} (the longest alert window), e.g. "30d"`,
      ),
    );
  }
  if (typeof objective !== 'number' || !(objective > 0 && objective < 1)) {
    problems.push(
      new SloFileError(
        `${at}.objective`,
        objective,
        'expected a number above 0 and below 1, e.g. 0.999',
      ),
    );
  } else if (validWindow) {
    const fastest = burnFactor(BURN_RATE_ALERTS[0]!, window as string);
    if (fastest * errorBudget(objective) >= 1) {
      const least = Math.ceil((1 - 1 / fastest) * 1000) / 1000;
      problems.push(
        new SloFileError(
          `${at}.objective`,
          objective,
          `the fast page alert fires at ${fastest}× the error budget, which is more than every request failing; expected at least ${least}`,
        ),
      );
    }
  }
  if (thresholdMs !== undefined) {
    const problem = thresholdProblem(thresholdMs, `${at}.thresholdMs`);
    if (problem !== undefined) problems.push(problem);
  }
  return validName ? (name as string) : undefined;
}

function validateRoutes(routes: unknown, at: string, problems: Problems): void {
  const routeList = list(routes, at, problems);
  if (routeList === undefined) return;
  if (routeList.length === 0) {
    problems.push(new SloFileError(at, routes, "expected at least one route, or '*'"));
  }
  routeList.forEach((route, i) => {
    if (typeof route !== 'string' || !ROUTE.test(route)) {
      problems.push(
        new SloFileError(
          `${at}[${i}]`,
          route,
          `expected "{method} {route}" as otelkit names server spans, e.g. "GET /users/:id" (method one of ${METHODS.join(', ')})`,
        ),
      );
    } else if (routeList.indexOf(route) !== i) {
      problems.push(new SloFileError(`${at}[${i}]`, route, 'expected each route once'));
    }
  });
}

/** Checks one error alert; its name when it has a valid one. */
function validateErrorAlert(value: unknown, at: string, problems: Problems): string | undefined {
  const fields = object(
    value,
    at,
    ['name', 'category', 'severity', 'maxPerMinute', 'page'],
    problems,
  );
  if (fields === undefined) return undefined;
  const { name, category, severity, maxPerMinute, page } = fields;
  const validName = isAlertName(name);
  if (!validName) {
    problems.push(
      new SloFileError(
        `${at}.name`,
        name,
        'expected an alert name as Prometheus takes it: a non-blank string of printable characters, e.g. "critical-errors"',
      ),
    );
  }
  if (category !== undefined && !CATEGORIES.includes(category as ErrorCategory)) {
    problems.push(
      new SloFileError(`${at}.category`, category, `expected one of ${CATEGORIES.join(', ')}`),
    );
  }
  if (severity !== undefined && !SEVERITIES.includes(severity as ErrorSeverity)) {
    problems.push(
      new SloFileError(`${at}.severity`, severity, `expected one of ${SEVERITIES.join(', ')}`),
    );
  }
  if (typeof maxPerMinute !== 'number' || !Number.isFinite(maxPerMinute) || maxPerMinute < 0) {
    problems.push(
      new SloFileError(`${at}.maxPerMinute`, maxPerMinute, 'expected a number, 0 or more'),
    );
  }
  if (page !== undefined && typeof page !== 'boolean') {
    problems.push(new SloFileError(`${at}.page`, page, 'expected true or false'));
  }
  return validName ? (name as string) : undefined;
}

/**
 * Whether Prometheus takes `name` as an alert's name: any UTF-8 text (it
 * becomes the `alertname` label's value), so a well-formed string. Blank
 * names and control characters, which no one means, are refused too.
 */
function isAlertName(name: unknown): name is string {
  return (
    typeof name === 'string' && name.trim() !== '' && name.isWellFormed() && !/\p{Cc}/u.test(name)
  );
}

function object(
  value: unknown,
  at: string,
  known: readonly string[],
  problems: Problems,
): Fields | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(new SloFileError(at, value, 'expected an object'));
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path = at === '(file)' ? key : `${at}.${key}`;
      problems.push(
        new SloFileError(
          path,
          (value as Fields)[key],
          `unknown field; expected one of ${known.join(', ')}`,
        ),
      );
    }
  }
  return value as Fields;
}

function list(value: unknown, at: string, problems: Problems): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  problems.push(new SloFileError(at, value, 'expected an array'));
  return undefined;
}
