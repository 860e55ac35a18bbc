import type { TraceFilter } from '../store/trace-queries.ts';

/** A query parameter the API cannot use, with the reason for the 400 answer. */
export class BadQueryError extends Error {
  override readonly name = 'BadQueryError';
}

const defaultLimit = 20;
const maxLimit = 1_000;

/**
 * Reads `service`, `operation`, `status=error`, `minDurationMs`, `since` (ms since the epoch or
 * an ISO date), `limit` and `sort=recent|slowest` from a query string.
 * @throws {BadQueryError} for a value that is not of its parameter's form.
 */
export function parseTraceFilter(params: URLSearchParams): TraceFilter {
  const filter: TraceFilter = { sort: 'recent', limit: defaultLimit };
  const service = params.get('service');
  if (service) filter.service = service;
  const operation = params.get('operation');
  if (operation) filter.operation = operation;
  const status = params.get('status');
  if (status) {
    if (status !== 'error') throw new BadQueryError('status must be "error" when given');
    filter.errorsOnly = true;
  }
  const minDuration = params.get('minDurationMs');
  if (minDuration) filter.minDurationMs = nonNegative('minDurationMs', minDuration);
  const since = params.get('since');
  if (since) filter.sinceMs = parseSince(since);
  const limit = params.get('limit');
  if (limit)
    filter.limit = Math.min(maxLimit, Math.max(1, Math.floor(nonNegative('limit', limit))));
  const sort = params.get('sort');
  if (sort) {
    if (sort !== 'recent' && sort !== 'slowest') {
      throw new BadQueryError('sort must be "recent" or "slowest"');
    }
    filter.sort = sort;
  }
  return filter;
}

function nonNegative(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new BadQueryError(`${name} must be a non-negative number`);
  }
  return value;
}

function parseSince(text: string): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) {
    throw new BadQueryError('since must be milliseconds since the epoch or an ISO date');
  }
  return value;
}
