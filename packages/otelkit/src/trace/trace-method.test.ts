import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { createTestTelemetry, type TestTelemetry } from 'otelkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { traceMethod } from './trace-method.ts';

let telemetry: TestTelemetry;
beforeEach(() => {
  telemetry = createTestTelemetry();
});
afterEach(() => telemetry.shutdown());

const lookup = Symbol('lookup');

class UserService {
  readonly prefix = 'user-';
  calls = 0;

  @traceMethod()
  async getUser(id: string) {
    await Promise.resolve();
    return { id: this.prefix + id, span: trace.getActiveSpan() };
  }

  @traceMethod()
  countSync(step: number) {
    this.calls += step;
    return this.calls;
  }

  @traceMethod({
    name: 'users.remove',
    kind: SpanKind.CLIENT,
    attributes: { 'db.system.name': 'sqlite' },
  })
  remove(_id: string): never {
    throw new RangeError('no such user');
  }

  @traceMethod()
  [lookup]() {
    return 'by symbol';
  }

  @traceMethod()
  static create() {
    return new UserService();
  }

  @traceMethod()
  #secret() {
    return 'private';
  }

  callSecret() {
    return this.#secret();
  }
}

class AdminService extends UserService {}

describe('@traceMethod', () => {
  it('names the span ClassName.methodName and keeps this and the arguments', async () => {
    const service = new UserService();

    const user = await service.getUser('7');

    expect(user.id).toBe('user-7');
    const span = telemetry.findSpan('UserService.getUser')!;
    expect(user.span?.spanContext().spanId).toBe(span.spanContext().spanId);
    expect(span.ended).toBe(true);
  });

  it('keeps sync methods sync', () => {
    const service = new UserService();

    expect(service.countSync(2)).toBe(2);
    expect(service.countSync(3)).toBe(5);
    expect(telemetry.spans().map((s) => s.name)).toEqual([
      'UserService.countSync',
      'UserService.countSync',
    ]);
  });

  it('rethrows the very same error, recorded, with the given name and options', () => {
    const service = new UserService();
    let thrown: unknown;
    try {
      service.remove('1');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(RangeError);
    const span = telemetry.findSpan('users.remove')!;
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes['db.system.name']).toBe('sqlite');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such user' });
    expect(span.events[0]?.attributes?.['exception.type']).toBe('RangeError');
  });

  it('names the declaring class when a subclass calls the method', () => {
    new AdminService().countSync(1);

    expect(telemetry.spans().map((s) => s.name)).toEqual(['UserService.countSync']);
  });

  it('names static, symbol-keyed and private methods', () => {
    const service = UserService.create();
    expect(service[lookup]()).toBe('by symbol');
    expect(service.callSecret()).toBe('private');

    expect(telemetry.spans().map((s) => s.name)).toEqual([
      'UserService.create',
      'UserService.[lookup]',
      'UserService.#secret',
    ]);
  });
});
