import type { TraceFilter } from '../store/trace-queries.ts';
import {
  BadQueryError,
  clampedCount,
  integer,
  nonNegative,
  text,
  timeRange,
} from './query-params.ts';

const maxAttributes = 20;

/**
 * Reads `service`, `operation`, `status=error`, `minDurationMs`, `maxDurationMs`, `since` and
 * `until` (ms since the epoch or ISO dates), repeatable `attr=key=value`, `limit` (1–1000, default
 * 20), `offset` and `sort=recent|slowest` from a query string.
 * @throws {BadQueryError} for a value that is not of its parameter's form.
 */
export function parseTraceFilter(params: URLSearchParams): TraceFilter {
  const filter: TraceFilter = {
    sort: 'recent',
    limit: clampedCount(params, 'limit', { min: 1, max: 1000, fallback: 20 }),
    offset: integer(params, 'offset', { min: 0, max: 100_000, fallback: 0 }),
    ...timeRange(params),
  };
  const service = text(params, 'service');
  if (service) filter.service = service;
  const operation = text(params, 'operation');
  if (operation) filter.operation = operation;
  const status = text(params, 'status');
  if (status) {
    if (status !== 'error') throw new BadQueryError('status must be "error" when given');
    filter.errorsOnly = true;
  }
  filter.minDurationMs = nonNegative(params, 'minDurationMs');
  filter.maxDurationMs = nonNegative(params, 'maxDurationMs');
  const attributes = params.getAll('attr').filter((a) => a !== '');
  if (attributes.length > maxAttributes) {
    throw new BadQueryError(`at most ${maxAttributes} attr conditions`);
  }
  if (attributes.length > 0) filter.attributes = attributes.map(parseCondition);
  const sort = text(params, 'sort');
  if (sort) {
    if (sort !== 'recent' && sort !== 'slowest') {
      throw new BadQueryError('sort must be "recent" or "slowest"');
    }
    filter.sort = sort;
  }
  return filter;
}

// `key=value`: the key ends at the first `=`, the value may hold more.
function parseCondition(condition: string): [string, string] {
  const at = condition.indexOf('=');
  if (at <= 0) throw new BadQueryError(`attr must be key=value, got "${condition}"`);
  return [condition.slice(0, at), condition.slice(at + 1)];
}
