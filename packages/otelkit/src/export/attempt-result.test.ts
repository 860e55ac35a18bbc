import { describe, expect, it } from 'vitest';
import { fromNetworkError, fromResponse, timedOut } from './attempt-result.ts';
import { partialSuccessResponse } from './test-support/otlp-messages.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('attempt results', () => {
  it.each([429, 502, 503, 504])('retries %i, honouring Retry-After in seconds', (status) => {
    expect(fromResponse(status, { 'retry-after': '3' }, new Uint8Array(), NOW)).toMatchObject({
      delivered: false,
      retryable: true,
      errorType: String(status),
      reason: `HTTP ${status}`,
      retryAfterMs: 3000,
    });
  });

  it('honours Retry-After as an HTTP date', () => {
    const result = fromResponse(
      503,
      { 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' },
      new Uint8Array(),
      NOW,
    );
    expect(result).toMatchObject({ retryAfterMs: 30_000 });
  });

  it.each([400, 401, 404, 413, 500])('drops %i without retrying', (status) => {
    expect(fromResponse(status, {}, new Uint8Array(), NOW)).toMatchObject({
      retryable: false,
      errorType: String(status),
      reason: `HTTP ${status}`,
    });
  });

  it('reads the rejected count of a partial success', () => {
    const body = partialSuccessResponse('traces', 4, 'too old');
    expect(fromResponse(200, {}, body, NOW)).toEqual({
      delivered: true,
      status: 200,
      rejected: 4,
      rejectedMessage: 'too old',
    });
    expect(fromResponse(200, {}, Buffer.from('<html>'), NOW)).toMatchObject({ rejected: 0 });
  });

  it('names network errors by code and retries them', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(fromNetworkError(refused)).toEqual({
      delivered: false,
      retryable: true,
      errorType: 'ECONNREFUSED',
      reason: 'connection refused',
    });
    expect(timedOut(10_000)).toMatchObject({
      errorType: 'timeout',
      reason: 'timeout after 10000 ms',
    });
  });
});
