import { describe, expect, it } from 'vitest';
import { CategorizedError } from './categorized-error.ts';
import { type Classification, classifyError, ErrorClassifier } from './classify-error.ts';

const withProps = (props: object, message = 'failed') => Object.assign(new Error(message), props);

describe('classifyError', () => {
  it.each<[string, unknown, Classification]>([
    [
      'a CategorizedError, by its own fields',
      new CategorizedError('slow down', {
        category: 'rate_limit',
        severity: 'low',
        code: 'TOO_FAST',
        retryable: true,
      }),
      { category: 'rate_limit', severity: 'low', code: 'TOO_FAST', retryable: true },
    ],
    [
      'an AbortError',
      new DOMException('aborted', 'AbortError'),
      { category: 'cancelled', severity: 'low', code: 'AbortError', retryable: false },
    ],
    [
      'a TimeoutError',
      new DOMException('timed out', 'TimeoutError'),
      { category: 'timeout', severity: 'medium', code: 'TimeoutError', retryable: true },
    ],
    ...['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].map(
      (code): [string, unknown, Classification] => [
        `Node's ${code}`,
        withProps({ code }),
        { category: 'network', severity: 'medium', code, retryable: true },
      ],
    ),
    ...(
      [
        [429, 'rate_limit', 'medium', true],
        [502, 'external', 'medium', true],
        [503, 'external', 'medium', true],
        [504, 'timeout', 'medium', true],
        [400, 'validation', 'low', false],
        [401, 'authentication', 'low', false],
        [403, 'authorization', 'low', false],
        [404, 'not_found', 'low', false],
        [409, 'conflict', 'low', false],
      ] as const
    ).map(([status, category, severity, retryable]): [string, unknown, Classification] => [
      `HTTP status ${status}`,
      withProps({ status }),
      { category, severity, retryable, code: `HTTP_${status}` },
    ]),
    [
      'HTTP statusCode 503',
      withProps({ statusCode: 503 }),
      { category: 'external', severity: 'medium', code: 'HTTP_503', retryable: true },
    ],
    [
      'an HTTP status it does not know',
      withProps({ status: 418 }),
      { category: 'unknown', severity: 'medium', retryable: false },
    ],
    [
      'a plain Error',
      new Error('?'),
      { category: 'unknown', severity: 'medium', retryable: false },
    ],
    ['a string', 'oops', { category: 'unknown', severity: 'medium', retryable: false }],
    ['null', null, { category: 'unknown', severity: 'medium', retryable: false }],
  ])('classifies %s', (_, error, expected) => {
    expect(classifyError(error)).toEqual(expected);
  });

  it('looks through the cause chain for the first match', () => {
    const error = new Error('could not load profile', {
      cause: new Error('fetch failed', { cause: withProps({ code: 'ECONNRESET' }) }),
    });

    expect(classifyError(error)).toMatchObject({ category: 'network', retryable: true });
  });

  it('prefers the outer error over what it wraps', () => {
    const error = new CategorizedError('profile service down', {
      category: 'external',
      severity: 'high',
      cause: withProps({ code: 'ECONNREFUSED' }),
    });

    expect(classifyError(error)).toMatchObject({ category: 'external', severity: 'high' });
  });

  it('finds a match inside an AggregateError', () => {
    const error = new AggregateError([new Error('a'), withProps({ status: 404 })], 'both');

    expect(classifyError(error).category).toBe('not_found');
  });
});

describe('ErrorClassifier', () => {
  class PaymentDeclined extends Error {}

  it('applies the first rule that matches, in the order added', () => {
    const classifier = new ErrorClassifier()
      .add(PaymentDeclined, { category: 'external', severity: 'low' })
      .add(Error, { category: 'internal', severity: 'critical' });

    expect(classifier.classify(new PaymentDeclined('card expired'))).toEqual({
      category: 'external',
      severity: 'low',
      retryable: false,
      code: undefined,
    });
    expect(classifier.classify(new Error('other')).category).toBe('internal');
  });

  it('matches with predicates and computes classifications from the error', () => {
    const classifier = new ErrorClassifier().add(
      (error: unknown): error is Error & { code: string } =>
        error instanceof Error && 'code' in error,
      (error) => ({ category: 'database', code: error.code, retryable: error.code === '40001' }),
    );

    expect(classifier.classify(withProps({ code: '40001' }))).toEqual({
      category: 'database',
      severity: 'medium',
      code: '40001',
      retryable: true,
    });
  });

  it('moves on when a rule computes undefined or its predicate throws', () => {
    const classifier = new ErrorClassifier()
      .add(
        () => {
          throw new Error('broken rule');
        },
        { category: 'internal' },
      )
      .add(Error, () => undefined)
      .add(() => true, { category: 'validation' });

    expect(classifier.classify(new Error('x')).category).toBe('validation');
  });

  it('falls back to the built-in rules when asked to', () => {
    const own = new ErrorClassifier().add(PaymentDeclined, { category: 'external' });
    const extended = new ErrorClassifier({ includeDefaults: true }).add(PaymentDeclined, {
      category: 'external',
    });
    const refused = withProps({ code: 'ECONNREFUSED' });

    expect(own.classify(refused).category).toBe('unknown');
    expect(extended.classify(refused).category).toBe('network');
    expect(extended.classify(new PaymentDeclined('no')).category).toBe('external');
  });

  it('returns unknown, not retryable, when nothing matches', () => {
    expect(new ErrorClassifier().classify(new Error('x'))).toEqual({
      category: 'unknown',
      severity: 'medium',
      retryable: false,
    });
  });
});
