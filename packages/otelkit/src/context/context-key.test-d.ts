import { describe, expectTypeOf, it } from 'vitest';
import { type ContextKey, createContextKey, requestId } from './context-key.ts';

describe('createContextKey() types', () => {
  it('types get() and with() by the key', () => {
    const key = createContextKey<{ plan: string }>('account');
    expectTypeOf(key).toEqualTypeOf<ContextKey<{ plan: string }>>();
    expectTypeOf(key.get()).toEqualTypeOf<{ plan: string } | undefined>();
    expectTypeOf(key.with({ plan: 'pro' }, () => 1)).toEqualTypeOf<number>();
    expectTypeOf(requestId.get()).toEqualTypeOf<string | undefined>();
  });

  it('rejects a value of the wrong type', () => {
    // @ts-expect-error a number is not a string
    requestId.with(42, () => {});
  });

  it('allows spanAttribute only for values a span attribute can hold', () => {
    createContextKey<number>('shard', { spanAttribute: 'shard' });
    createContextKey<readonly string[]>('roles', { spanAttribute: 'user.roles' });
    // @ts-expect-error an object cannot be a span attribute
    createContextKey<{ plan: string }>('account', { spanAttribute: 'account' });
    // @ts-expect-error a union with an object cannot either
    createContextKey<string | { plan: string }>('mixed', { spanAttribute: 'mixed' });
  });
});
