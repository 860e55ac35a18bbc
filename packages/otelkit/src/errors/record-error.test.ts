import { type Attributes, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createTestTelemetry, type TestTelemetry } from 'otelkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CategorizedError } from './categorized-error.ts';
import { ErrorClassifier } from './classify-error.ts';
import { recordError } from './record-error.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(() => telemetry.shutdown());

/** Runs `body` in an active span and returns the finished span. */
function inSpan(body: () => void): ReadableSpan {
  trace.getTracer('test').startActiveSpan('work', (span) => {
    body();
    span.end();
  });
  return telemetry.findSpan('work')!;
}

function exceptionEvents(span: ReadableSpan) {
  return span.events.filter((event) => event.name === 'exception');
}

class DatabaseError extends Error {
  override name = 'DatabaseError';
  readonly operation: string;
  constructor(message: string, operation: string, options?: ErrorOptions) {
    super(message, options);
    this.operation = operation;
  }
  toSpanAttributes(): Attributes {
    return { 'db.system.name': 'postgresql', 'db.operation.name': this.operation };
  }
}

describe('recordError', () => {
  it('adds one exception event with the outer stack and the whole chain in order', () => {
    const root = new RangeError('disk full');
    const middle = new TypeError('write failed', { cause: root });
    const outer = new Error('save failed', { cause: middle });

    const span = inSpan(() => recordError(outer));

    const events = exceptionEvents(span);
    expect(events).toHaveLength(1);
    expect(events[0]?.attributes).toEqual({
      'exception.type': 'Error',
      'exception.message': 'save failed',
      'exception.stacktrace': outer.stack,
      'exception.chain.types': ['Error', 'TypeError', 'RangeError'],
      'exception.chain.messages': ['save failed', 'write failed', 'disk full'],
    });
  });

  it('lists an AggregateError of two after the aggregate, in order', () => {
    const aggregate = new AggregateError(
      [new Error('replica a down'), new TypeError('replica b down')],
      'all replicas failed',
    );

    const span = inSpan(() => recordError(aggregate));

    const attributes = exceptionEvents(span)[0]?.attributes;
    expect(attributes?.['exception.chain.types']).toEqual(['AggregateError', 'Error', 'TypeError']);
    expect(attributes?.['exception.chain.messages']).toEqual([
      'all replicas failed',
      'replica a down',
      'replica b down',
    ]);
  });

  it('records a cause cycle once per error and returns', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b });

    const span = inSpan(() => recordError(a));

    expect(exceptionEvents(span)[0]?.attributes?.['exception.chain.messages']).toEqual(['a', 'b']);
  });

  it("never reads the causes' stacks", () => {
    let stackReads = 0;
    const cause = new Error('inner');
    Object.defineProperty(cause, 'stack', {
      get() {
        stackReads++;
        return 'inner stack';
      },
    });

    inSpan(() => recordError(new Error('outer', { cause })));

    expect(stackReads).toBe(0);
  });

  it("sets error.type to the error's string code, else its name", () => {
    const withCode = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const withNumericCode = Object.assign(new TypeError('bad'), { code: 42 });

    expect(inSpan(() => recordError(withCode)).attributes['error.type']).toBe('ECONNREFUSED');
    telemetry.reset();
    expect(inSpan(() => recordError(withNumericCode)).attributes['error.type']).toBe('TypeError');
  });

  it('adds the attributes of every error in the chain that implements toSpanAttributes', () => {
    const error = new Error('user lookup failed', {
      cause: new DatabaseError('connection lost', 'SELECT'),
    });

    const span = inSpan(() => recordError(error));

    expect(span.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
    });
  });

  it('keeps the record when toSpanAttributes throws', () => {
    const error = Object.assign(new Error('x'), {
      toSpanAttributes() {
        throw new Error('broken describer');
      },
    });

    const span = inSpan(() => recordError(error));

    expect(exceptionEvents(span)).toHaveLength(1);
    expect(span.attributes['error.type']).toBe('Error');
  });

  it('adds the classification of a classified error', () => {
    const error = new CategorizedError('email taken', {
      category: 'conflict',
      severity: 'low',
      code: 'USER_EMAIL_TAKEN',
    });

    const span = inSpan(() => recordError(error));

    expect(span.attributes).toMatchObject({
      'error.category': 'conflict',
      'error.severity': 'low',
      'error.code': 'USER_EMAIL_TAKEN',
      'error.retryable': false,
    });
  });

  it('adds no classification to an error no rule knows', () => {
    const span = inSpan(() => recordError(new Error('plain')));

    expect(span.attributes['error.category']).toBeUndefined();
    expect(span.attributes['error.retryable']).toBeUndefined();
  });

  it('classifies with the given classifier', () => {
    const classifier = new ErrorClassifier().add(RangeError, {
      category: 'validation',
      severity: 'low',
    });

    const span = inSpan(() => recordError(new RangeError('too big'), { classifier }));

    expect(span.attributes).toMatchObject({
      'error.category': 'validation',
      'error.severity': 'low',
    });
  });

  it('adds extra attributes to the event', () => {
    const span = inSpan(() =>
      recordError(new Error('x'), { attributes: { 'exception.escaped': true, 'job.id': 7 } }),
    );

    expect(exceptionEvents(span)[0]?.attributes).toMatchObject({
      'exception.escaped': true,
      'job.id': 7,
    });
  });

  it('records on the given span rather than the active one', () => {
    const other = trace.getTracer('test').startSpan('other');
    inSpan(() => recordError(new Error('x'), { span: other }));
    other.end();

    expect(exceptionEvents(telemetry.findSpan('work')!)).toHaveLength(0);
    expect(exceptionEvents(telemetry.findSpan('other')!)).toHaveLength(1);
  });

  it('does nothing without an active span or on an ended span', () => {
    expect(() => recordError(new Error('nowhere'))).not.toThrow();
    const ended = trace.getTracer('test').startSpan('ended');
    ended.end();
    recordError(new Error('late'), { span: ended });

    expect(exceptionEvents(telemetry.findSpan('ended')!)).toHaveLength(0);
  });

  it.each<[string, unknown, string, string]>([
    ['a string', 'plain failure', 'string', 'plain failure'],
    ['null', null, 'null', 'null'],
    ['undefined', undefined, 'undefined', 'undefined'],
    ['a number', 404, 'number', '404'],
    ['a symbol', Symbol('gone'), 'symbol', 'Symbol(gone)'],
    ['a plain object', { reason: 'nope' }, 'Object', '{"reason":"nope"}'],
    ['a prototype-less object', Object.create(null), 'Object', '{}'],
    ['a frozen error', Object.freeze(new Error('frozen')), 'Error', 'frozen'],
    ['a circular object', circular(), 'Object', '[object Object]'],
  ])('records %s without throwing', (_, thrown, type, message) => {
    const span = inSpan(() => recordError(thrown));

    expect(exceptionEvents(span)[0]?.attributes).toMatchObject({
      'exception.type': type,
      'exception.message': message,
    });
  });

  it('records errors whose every property access throws', () => {
    const trap = () => {
      throw new Error('hostile');
    };
    const proxy = new Proxy(new Error('hidden'), {
      get: trap,
      has: trap,
      getPrototypeOf: trap,
      getOwnPropertyDescriptor: trap,
      ownKeys: trap,
    });
    const getters = Object.defineProperties(new Error('x'), {
      name: { get: trap },
      message: { get: trap },
      stack: { get: trap },
      cause: { get: trap },
      code: { get: trap },
      toSpanAttributes: { get: trap },
    });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();

    const span = inSpan(() => {
      recordError(proxy);
      recordError(getters);
      recordError(revoked);
    });

    expect(exceptionEvents(span)).toHaveLength(3);
  });
});

function circular(): object {
  const value: Record<string, unknown> = {};
  value.self = value;
  return value;
}
