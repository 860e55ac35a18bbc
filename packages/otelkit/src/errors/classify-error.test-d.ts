import { describe, expectTypeOf, it } from 'vitest';
import { type ErrorCategory, isCategorizedError } from './categorized-error.ts';
import { type Classification, classifyError, ErrorClassifier } from './classify-error.ts';
import { errorChain, joinErrors } from './error-chain.ts';

class PaymentDeclined extends Error {
  readonly reason = 'expired' as const;
}

describe('error types', () => {
  it('type the matched error in a computed classification', () => {
    new ErrorClassifier()
      .add(PaymentDeclined, (error) => {
        expectTypeOf(error).toEqualTypeOf<PaymentDeclined>();
        return { category: 'external' };
      })
      .add(
        (error): error is { status: number } => typeof error === 'object' && error !== null,
        (error) => ({ category: error.status === 404 ? 'not_found' : 'unknown' }),
      )
      .add((error) => error instanceof RangeError, { category: 'validation' });
  });

  it('accept only known categories and severities', () => {
    // @ts-expect-error not a category
    new ErrorClassifier().add(PaymentDeclined, { category: 'payment' });
    // @ts-expect-error not a severity
    new ErrorClassifier().add(PaymentDeclined, { category: 'external', severity: 'huge' });
    expectTypeOf(classifyError(new Error())).toEqualTypeOf<Classification>();
    expectTypeOf(classifyError(new Error()).category).toEqualTypeOf<ErrorCategory>();
  });

  it('narrow with the brand guard and keep joined types', () => {
    const error: unknown = new Error();
    if (isCategorizedError(error)) expectTypeOf(error.retryable).toEqualTypeOf<boolean>();
    expectTypeOf(joinErrors(new TypeError(), null)).toEqualTypeOf<
      TypeError | AggregateError | undefined
    >();
    expectTypeOf(errorChain(error)[0]!.depth).toEqualTypeOf<number>();
  });
});
