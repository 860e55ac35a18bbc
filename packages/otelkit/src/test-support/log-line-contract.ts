import { SeverityNumber } from '@opentelemetry/api';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logs/pino/create-logger.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { attributesOf, inSpan, lineSink } from './log-line-capture.ts';

/**
 * The log record of a pino line holds what the line holds, whatever shapes
 * the line: run with the newest and the oldest pino of otelkit's peer range.
 */
export function describeLogLines(major: number): void {
  describe(`the record of a line (pino ${major})`, () => {
    let telemetry: TestTelemetry;
    beforeEach(() => {
      telemetry = createTestTelemetry();
    });
    afterEach(() => telemetry.shutdown());

    it("is built with the logger's pino, whose symbols it uses", () => {
      expect(createLogger(lineSink()).version).toBe(pino.version);
    });

    it('holds the members of the line, less level, time, pid, hostname and the ids', () => {
      const out = lineSink();
      const logger = createLogger({}, out).child({ component: 'billing' });
      inSpan('charge', () =>
        logger.info({ orderId: 'o-42', tags: ['a', 'b'], cart: { n: 2 } }, 'ok'),
      );
      const [line] = out.parsed();
      expect(line).toHaveProperty('trace_id');
      const [record] = telemetry.logs();
      expect(record?.body).toBe('ok');
      expect(record?.spanContext?.traceId).toBe(line?.trace_id);
      expect(record?.attributes).toEqual({
        component: 'billing',
        orderId: 'o-42',
        tags: ['a', 'b'],
        cart: '{"n":2}',
      });
    });

    it('follows serializers, redaction, the log formatter and the mixin, and nothing else', () => {
      const out = lineSink();
      const logger = createLogger(
        {
          redact: { paths: ['user.password', 'a.*.token'], censor: '***' },
          serializers: { card: (card: { number: string }) => ({ last4: card.number.slice(-4) }) },
          formatters: { log: (fields) => ({ ...fields, formatted: true }) },
          mixin: () => ({ region: 'eu' }),
        },
        out,
      );
      const live = { user: { name: 'ada', password: 'pw' }, a: { b: { token: 't' } } };
      logger.info({ ...live, card: { number: '4111111111111111' }, fn: () => 1, none: undefined });
      const { level, time, pid, hostname, ...rest } = out.parsed()[0]!;
      expect(rest).toEqual({
        user: { name: 'ada', password: '***' },
        a: { b: { token: '***' } },
        card: { last4: '1111' },
        formatted: true,
        region: 'eu',
      });
      expect(attributesOf(telemetry.logs()[0])).toEqual(rest);
      expect(telemetry.logs()[0]?.body).toBe('');
    });

    it('takes censor functions and remove: true as the line does', () => {
      const out = lineSink();
      const censor = (value: unknown, path: string[]) =>
        `${path.join('.')}:${String(value).length}`;
      const byFunction = createLogger({ redact: { paths: ['token', 'msg'], censor } }, out);
      const removing = createLogger({ redact: { paths: ['a.b'], remove: true } }, out);
      byFunction.warn({ token: 'tok-123' }, 'secret message');
      removing.warn({ a: { b: 1, c: 2 } }, 'kept');
      const [first, second] = telemetry.logs();
      expect(out.parsed()[0]).toMatchObject({ token: 'token:7', msg: 'msg:14' });
      expect(first?.body).toBe('msg:14');
      expect(first?.attributes).toEqual({ token: 'token:7' });
      expect(second?.attributes).toEqual({ a: '{"c":2}' });
    });

    it('uses messageKey, errorKey, msgPrefix, level and bindings formatters', () => {
      const out = lineSink();
      const logger = createLogger(
        {
          messageKey: 'message',
          errorKey: 'error',
          msgPrefix: '[api] ',
          formatters: { level: (label) => ({ level: label }), bindings: () => ({ svc: 'users' }) },
        },
        out,
      );
      logger
        .child({ route: '/u' }, { msgPrefix: '[get] ' })
        .error({ error: new TypeError('bad') }, 'failed');
      const line = out.parsed()[0]!;
      expect(line).toMatchObject({ level: 'error', svc: 'users', message: '[api] [get] failed' });
      const [record] = telemetry.logs();
      expect(record?.body).toBe('[api] [get] failed');
      expect(record?.severityText).toBe('ERROR');
      expect(record?.attributes).toMatchObject({
        svc: 'users',
        route: '/u',
        'exception.type': 'TypeError',
        'exception.message': 'bad',
      });
      expect(record?.attributes).not.toHaveProperty('error');
      expect(record?.attributes).not.toHaveProperty('message');
    });

    it('reads the fields under nestedKey, errors included', () => {
      const out = lineSink();
      const logger = createLogger({ nestedKey: 'payload', mixin: () => ({ region: 'eu' }) }, out);
      logger.child({ component: 'jobs' }).error({ jobId: 7, err: new Error('lost') }, 'job failed');
      expect(out.parsed()[0]).toMatchObject({
        component: 'jobs',
        payload: { jobId: 7, region: 'eu' },
      });
      expect(telemetry.logs()[0]?.attributes).toMatchObject({
        component: 'jobs',
        jobId: 7,
        region: 'eu',
        'exception.message': 'lost',
      });
    });

    it('names custom levels and keeps child loggers’ own serializers, redaction and level', () => {
      const out = lineSink();
      const root = createLogger({ customLevels: { audit: 35 }, redact: ['secret'] }, out);
      const child = root.child(
        { tenant: 't1' },
        { serializers: { user: (u: { id: string }) => u.id }, redact: ['pin'], level: 'warn' },
      );
      root.audit({ secret: 's', pin: 'p' }, 'audited');
      child.audit({ user: { id: 'u1' }, pin: '1234' }, 'below the child level');
      child.warn({ user: { id: 'u1' }, pin: '1234', secret: 'visible to the child' }, 'child line');
      expect(out.lines).toHaveLength(2);
      const [audit, warn] = telemetry.logs();
      expect(telemetry.logs()).toHaveLength(2);
      expect(audit?.severityText).toBe('AUDIT');
      expect(audit?.severityNumber).toBe(SeverityNumber.INFO);
      expect(audit?.attributes).toEqual({ secret: '[Redacted]', pin: 'p' });
      expect(warn?.attributes).toEqual({
        tenant: 't1',
        user: 'u1',
        pin: '[Redacted]',
        secret: 'visible to the child',
      });
    });

    it('follows the logMethod hook: a line it drops gives no record, one it repeats two', () => {
      const out = lineSink();
      const logger = createLogger(
        {
          hooks: {
            logMethod(args, method) {
              if (args[0] === 'drop') return;
              method.apply(this, args);
              if (args[0] === 'twice') method.apply(this, ['again']);
            },
          },
        },
        out,
      );
      logger.info('drop');
      logger.info('twice');
      expect(out.parsed().map((line) => line.msg)).toEqual(['twice', 'again']);
      expect(telemetry.logs().map((record) => record.body)).toEqual(['twice', 'again']);
    });

    it.runIf(major >= 10)('reads the line after the streamWrite hook', () => {
      const out = lineSink();
      const hooks = { streamWrite: (line: string) => line.replaceAll('sk-live-1', 'XXX') };
      const logger = createLogger({ hooks } as pino.LoggerOptions, out);
      inSpan('call', () => logger.info({ key: 'sk-live-1' }, 'called with sk-live-1'));
      expect(out.lines[0]).not.toContain('sk-live-1');
      expect(telemetry.logs()[0]?.body).toBe('called with XXX');
      expect(telemetry.logs()[0]?.attributes).toEqual({ key: 'XXX' });
    });

    it('still tells a multistream the level of each line', () => {
      const info = lineSink();
      const errors = lineSink();
      const streams = pino.multistream([
        { level: 'info', stream: info },
        { level: 'error', stream: errors },
      ]);
      const logger = createLogger({}, streams);
      inSpan('routed', () => {
        logger.info('to one');
        logger.error('to both');
      });
      expect(info.lines).toHaveLength(2);
      expect(errors.parsed().map((line) => line.msg)).toEqual(['to both']);
      expect(telemetry.logs()).toHaveLength(2);
    });

    it('reads a line logged from inside a serializer apart from the line around it', () => {
      const out = lineSink();
      let logger: pino.Logger;
      const serializers = {
        order: (id: string) => {
          logger.info({ nested: id }, 'inner');
          return id;
        },
      };
      logger = createLogger({ serializers }, out);
      inSpan('outer', () => logger.info({ order: 'o-1' }, 'outer'));
      expect(telemetry.logs().map((record) => [record.body, record.attributes])).toEqual([
        ['inner', { nested: 'o-1' }],
        ['outer', { order: 'o-1' }],
      ]);
    });
  });
}
