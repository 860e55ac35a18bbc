import { describe, expect, it } from 'vitest';
import { errorChain, joinErrors, MAX_CHAIN_DEPTH, MAX_CHAIN_LENGTH } from './error-chain.ts';

describe('errorChain', () => {
  it('lists a three-level cause chain, outer error first, with depths', () => {
    const root = new RangeError('disk full');
    const middle = new TypeError('write failed', { cause: root });
    const outer = new Error('save failed', { cause: middle });

    expect(errorChain(outer)).toEqual([
      { error: outer, type: 'Error', message: 'save failed', depth: 0 },
      { error: middle, type: 'TypeError', message: 'write failed', depth: 1 },
      { error: root, type: 'RangeError', message: 'disk full', depth: 2 },
    ]);
  });

  it("follows an AggregateError's errors depth-first, before its cause", () => {
    const first = new Error('first', { cause: new Error('first cause') });
    const second = new TypeError('second');
    const aggregate = new AggregateError([first, second], 'both failed', {
      cause: new Error('outer cause'),
    });

    expect(errorChain(aggregate).map((link) => [link.message, link.depth])).toEqual([
      ['both failed', 0],
      ['first', 1],
      ['first cause', 2],
      ['second', 1],
      ['outer cause', 1],
    ]);
  });

  it.runIf(typeof SuppressedError === 'function')(
    "follows a SuppressedError's error, then what it suppressed",
    () => {
      const suppressed = new SuppressedError(new Error('dispose failed'), new Error('body failed'));
      expect(errorChain(suppressed).map((link) => link.message)).toEqual([
        suppressed.message,
        'dispose failed',
        'body failed',
      ]);
    },
  );

  it('follows the SuppressedError that TypeScript-compiled `using` throws where Node has none', () => {
    // The shape of TypeScript's __disposeResources fallback before Node 24.
    const suppressed = Object.assign(new Error('An error was suppressed during disposal.'), {
      name: 'SuppressedError',
      error: new Error('dispose failed'),
      suppressed: new Error('body failed'),
    });
    expect(errorChain(suppressed).map((link) => link.message)).toEqual([
      suppressed.message,
      'dispose failed',
      'body failed',
    ]);
  });

  it('lists each error of a cycle once and stops', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b });
    const self = new Error('self');
    Object.defineProperty(self, 'cause', { value: self });

    expect(errorChain(a).map((link) => link.message)).toEqual(['a', 'b']);
    expect(errorChain(self).map((link) => link.message)).toEqual(['self']);
  });

  it('stops at depth 8 and at 32 links', () => {
    let deep: Error = new Error('level 20');
    for (let level = 19; level >= 0; level--) deep = new Error(`level ${level}`, { cause: deep });
    const wide = new AggregateError(
      Array.from({ length: 100 }, (_, i) => new Error(`item ${i}`)),
      'many',
    );

    const deepChain = errorChain(deep);
    expect(deepChain).toHaveLength(MAX_CHAIN_DEPTH + 1);
    expect(deepChain.at(-1)?.message).toBe(`level ${MAX_CHAIN_DEPTH}`);
    expect(errorChain(wide)).toHaveLength(MAX_CHAIN_LENGTH);
  });

  it('names an Error subclass that kept the name "Error" by its class', () => {
    class DatabaseError extends Error {}
    expect(errorChain(new DatabaseError('boom'))[0]?.type).toBe('DatabaseError');
  });

  it('describes thrown values that are not errors', () => {
    const chain = (value: unknown) => errorChain(value).map(({ type, message }) => [type, message]);
    expect(chain('plain text')).toEqual([['string', 'plain text']]);
    expect(chain(null)).toEqual([['null', 'null']]);
    expect(chain(undefined)).toEqual([['undefined', 'undefined']]);
    expect(chain(42)).toEqual([['number', '42']]);
    expect(chain({ message: 'shaped like an error' })).toEqual([
      ['Object', 'shaped like an error'],
    ]);
    expect(chain({ status: 500 })).toEqual([['Object', '{"status":500}']]);
    expect(chain(Object.create(null))).toEqual([['Object', '{}']]);
    expect(chain({ cause: 'why' })).toEqual([
      ['Object', '{"cause":"why"}'],
      ['string', 'why'],
    ]);
  });

  it('survives hostile getters and revoked proxies', () => {
    const hostile = Object.defineProperties(new Error('x'), {
      name: {
        get: () => {
          throw new Error('name getter');
        },
      },
      message: {
        get: () => {
          throw new Error('message getter');
        },
      },
      cause: {
        get: () => {
          throw new Error('cause getter');
        },
      },
    });
    const { proxy, revoke } = Proxy.revocable(new Error('revoked'), {});
    revoke();

    expect(errorChain(hostile)).toHaveLength(1);
    const [link, ...rest] = errorChain(proxy);
    expect(rest).toEqual([]);
    expect([link?.type, link?.message, link?.depth]).toEqual(['Object', '[object]', 0]);
  });
});

describe('joinErrors', () => {
  it('returns undefined when every argument is nullish', () => {
    expect(joinErrors()).toBeUndefined();
    expect(joinErrors(null, undefined)).toBeUndefined();
  });

  it('returns the only error itself', () => {
    const error = new Error('only');
    expect(joinErrors(undefined, error, null)).toBe(error);
  });

  it('joins several errors into an AggregateError with one message per line', () => {
    const a = new Error('a failed');
    const b = new Error('b failed');
    const joined = joinErrors(a, null, b);

    expect(joined).toBeInstanceOf(AggregateError);
    expect((joined as AggregateError).errors).toEqual([a, b]);
    expect((joined as AggregateError).message).toBe('a failed\nb failed');
  });
});
