import type { Span } from '@opentelemetry/api';
import { describe, expectTypeOf, it } from 'vitest';
import { traceMethod } from './trace-method.ts';
import { type Traceable, traced } from './traced.ts';
import { withSpan } from './with-span.ts';

describe('withSpan and traced types', () => {
  it('return what fn returns', () => {
    expectTypeOf(withSpan('sync', () => 42)).toEqualTypeOf<number>();
    expectTypeOf(withSpan('async', async () => 'done')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(
      withSpan('void', (span) => {
        span.end();
      }),
    ).toEqualTypeOf<void>();

    const operation: Traceable = { spanName: 'orders.place' };
    expectTypeOf(traced(operation, () => ({ id: 'o-1' }))).toEqualTypeOf<{ id: string }>();
    expectTypeOf(traced(operation, async () => [1, 2])).toEqualTypeOf<Promise<number[]>>();
  });

  it('return a native Promise for a thenable that is not one', () => {
    // A query builder's lazy result: awaitable, but not a Promise.
    const lazyQuery = {} as PromiseLike<string[]>;
    expectTypeOf(withSpan('query', () => lazyQuery)).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(traced({ spanName: 'q' }, () => lazyQuery)).toEqualTypeOf<Promise<string[]>>();
    // Generic code keeps its type parameter.
    const inSpan = <T>(run: () => T): T => withSpan('generic', run);
    expectTypeOf(inSpan(() => 1)).toEqualTypeOf<number>();
  });

  it('give fn the span', () => {
    withSpan('span', (span) => expectTypeOf(span).toEqualTypeOf<Span>());
    traced({ spanName: 'x' }, (span) => expectTypeOf(span).toEqualTypeOf<Span>());
  });

  it('accept only Traceable operations', () => {
    class Checkout {
      readonly spanName = 'checkout';
      readonly spanAttributes = { 'cart.items': 3 };
    }
    traced(new Checkout(), () => {});
    // @ts-expect-error an operation needs a spanName
    traced({ name: 'checkout' }, () => {});
    // @ts-expect-error spanName must be a string
    traced({ spanName: 1 }, () => {});
    // @ts-expect-error spanAttributes must be attributes
    traced({ spanName: 'x', spanAttributes: 5 }, () => {});
    // @ts-expect-error a plain string is not an operation
    traced('checkout', () => {});
  });

  it('keep the signature of a decorated method', () => {
    class Service {
      @traceMethod()
      async find(id: string, limit?: number) {
        return { id, limit };
      }
      @traceMethod({ name: 'service.count' })
      count() {
        return 1;
      }
    }
    const service = new Service();
    expectTypeOf(service.find).parameters.toEqualTypeOf<[id: string, limit?: number]>();
    expectTypeOf(service.find('a')).resolves.toEqualTypeOf<{
      id: string;
      limit: number | undefined;
    }>();
    expectTypeOf(service.count()).toEqualTypeOf<number>();
  });

  it('refuse a decorated method that returns a thenable other than a Promise', () => {
    class Repository {
      // @ts-expect-error the decorated method would return a native Promise, not this builder
      @traceMethod()
      query(): PromiseLike<string[]> {
        return Promise.resolve([]);
      }
    }
    new Repository();
  });
});
