import { describe, expect, it } from 'vitest';
import { CategorizedError, isCategorizedError } from './categorized-error.ts';

describe('CategorizedError', () => {
  it('defaults to medium severity, not retryable, no code and empty metadata', () => {
    const error = new CategorizedError('bad input', { category: 'validation' });

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CategorizedError');
    expect(error.message).toBe('bad input');
    expect(error).toMatchObject({
      category: 'validation',
      severity: 'medium',
      retryable: false,
      code: undefined,
      metadata: {},
    });
    expect('cause' in error).toBe(false);
  });

  it('keeps every option and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new CategorizedError('payment provider unavailable', {
      category: 'external',
      severity: 'high',
      code: 'PSP_DOWN',
      retryable: true,
      metadata: { provider: 'acme' },
      cause,
    });

    expect(error).toMatchObject({
      category: 'external',
      severity: 'high',
      code: 'PSP_DOWN',
      retryable: true,
      metadata: { provider: 'acme' },
    });
    expect(error.cause).toBe(cause);
  });

  it('lets a subclass rename itself', () => {
    class ApiError extends CategorizedError {
      constructor(message: string) {
        super(message, { category: 'not_found' });
        this.name = 'ApiError';
      }
    }

    const error = new ApiError('no such user');
    expect(error.name).toBe('ApiError');
    expect(isCategorizedError(error)).toBe(true);
  });
});

describe('isCategorizedError', () => {
  it('recognizes an error from another installed copy of otelkit', async () => {
    // A second evaluation of the module stands for a second copy in node_modules.
    const copy = (await import(
      './categorized-error.ts?second-copy' as string
    )) as typeof import('./categorized-error.ts');
    const foreign = new copy.CategorizedError('from the other copy', { category: 'timeout' });

    expect(copy.CategorizedError).not.toBe(CategorizedError);
    expect(foreign).not.toBeInstanceOf(CategorizedError);
    expect(isCategorizedError(foreign)).toBe(true);
  });

  it('rejects everything else, hostile values included', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();

    expect(isCategorizedError(new Error('plain'))).toBe(false);
    expect(isCategorizedError({ category: 'validation' })).toBe(false);
    expect(isCategorizedError(null)).toBe(false);
    expect(isCategorizedError('validation')).toBe(false);
    expect(isCategorizedError(proxy)).toBe(false);
  });
});
