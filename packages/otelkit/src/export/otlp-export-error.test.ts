import { describe, expect, it } from 'vitest';
import { isOtlpExportError, OtlpExportError } from './otlp-export-error.ts';

describe('OtlpExportError', () => {
  it.each([
    ['spans', 1, '1 span was not exported'],
    ['spans', 2, '2 spans were not exported'],
    ['log records', 1, '1 log record was not exported'],
    ['log records', 0, '0 log records were not exported'],
  ])('counts %s in its message: %i', (items, lost, text) => {
    const error = new OtlpExportError(items, 'http://collector:4318/v1/traces', 'HTTP 503', lost);
    expect(error.message).toBe(`otelkit: ${text} to http://collector:4318/v1/traces: HTTP 503`);
    expect(isOtlpExportError(error)).toBe(true);
  });
});
