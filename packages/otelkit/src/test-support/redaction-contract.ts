import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordError } from '../errors/record-error.ts';
import { createLogger } from '../logs/pino/create-logger.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { exportedText, inSpan, lineSink } from './log-line-capture.ts';

let telemetry: TestTelemetry;

/** Logs through `log` inside a span, then checks that no secret is on the lines or in any signal. */
function expectHidden(secrets: string[], log: () => void, out: { lines: string[] }): string {
  inSpan('request', log);
  const exported = exportedText(telemetry);
  expect(telemetry.logs().length).toBeGreaterThan(0);
  expect(telemetry.findSpan('request')?.events.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(out.lines.join('')).not.toContain(secret);
    expect(exported).not.toContain(secret);
  }
  return exported;
}

const card = (value: { number: string }) => ({ last4: value.number.slice(-4) });

/**
 * No value pino's redaction hides from a line reaches any exported signal:
 * log records, the `log` events on spans, span attributes, exception events.
 * Run with the newest and the oldest pino of otelkit's peer range.
 */
export function describeRedaction(major: number): void {
  describe(`redaction in exported signals (pino ${major})`, () => {
    beforeEach(() => {
      telemetry = createTestTelemetry();
    });
    afterEach(() => telemetry.shutdown());

    it(`runs against pino ${major}`, () => {
      expect(Number(pino.version.split('.')[0])).toBe(major);
    });

    it('hides what paths and serializers hide (the record once held every one of these)', () => {
      const out = lineSink();
      const logger = createLogger(
        { redact: ['user.password', 'headers.authorization', 'token'], serializers: { card } },
        out,
      );
      const exported = expectHidden(
        ['hunter2', 'Bearer SECRET', 'tok-123', '4242424242424242'],
        () =>
          logger.warn(
            {
              user: { name: 'ada', password: 'hunter2' },
              headers: { authorization: 'Bearer SECRET', accept: 'text/html' },
              token: 'tok-123',
              card: { number: '4242424242424242' },
            },
            'login',
          ),
        out,
      );
      expect(exported).toContain('ada');
      expect(exported).toContain('text/html');
      expect(telemetry.logs()[0]?.attributes).toMatchObject({
        token: '[Redacted]',
        card: '{"last4":"4242"}',
      });
    });

    it("holds what the guide's example line holds: a censor string, a wildcard, a serializer", () => {
      const out = lineSink();
      const logger = createLogger(
        {
          redact: { paths: ['user.password', '*.token', 'apiKey'], censor: '[hidden]' },
          serializers: { card },
        },
        out,
      );
      expectHidden(
        ['hunter2', 'tok-123', 'key-7', '4242424242424242'],
        () =>
          logger.warn(
            {
              user: { name: 'ada', password: 'hunter2' },
              session: { token: 'tok-123' },
              apiKey: 'key-7',
              card: { number: '4242424242424242' },
            },
            'login',
          ),
        out,
      );
      expect(telemetry.logs()[0]?.attributes).toEqual({
        user: '{"name":"ada","password":"[hidden]"}',
        session: '{"token":"[hidden]"}',
        apiKey: '[hidden]',
        card: '{"last4":"4242"}',
      });
    });

    it('hides what a log formatter leaves out', () => {
      const out = lineSink();
      const logger = createLogger(
        { formatters: { log: ({ secret: _secret, ...rest }) => rest } },
        out,
      );
      expectHidden(
        ['formatted-out'],
        () => logger.warn({ secret: 'formatted-out', a: 1 }, 'x'),
        out,
      );
      expect(telemetry.logs()[0]?.attributes).toEqual({ a: 1 });
    });

    it('hides what wildcards, censor functions and remove: true hide', () => {
      const out = lineSink();
      const censor = (value: unknown) => `<${String(value).length} chars>`;
      const wildcards = createLogger(
        { redact: { paths: ['*.password', 'accounts[*].pin'], censor } },
        out,
      );
      const removing = createLogger(
        { redact: { paths: ['session.id', 'apiKey'], remove: true } },
        out,
      );
      expectHidden(
        ['pw-one', 'pin-1', 'pin-2', 'sess-9', 'key-7'],
        () => {
          wildcards.warn(
            { db: { password: 'pw-one' }, accounts: [{ pin: 'pin-1' }, { pin: 'pin-2' }] },
            'a',
          );
          removing.warn({ session: { id: 'sess-9', user: 'ada' }, apiKey: 'key-7' }, 'b');
        },
        out,
      );
      expect(telemetry.logs()[0]?.attributes?.db).toBe('{"password":"<6 chars>"}');
      expect(telemetry.logs()[1]?.attributes).toEqual({ session: '{"user":"ada"}' });
    });

    it("hides what a child logger's own bindings, serializers and redaction hide", () => {
      const out = lineSink();
      const root = createLogger({ redact: ['apiKey'] }, out);
      const child = root.child(
        { apiKey: 'bound-key' },
        { redact: ['apiKey', 'account.iban'], serializers: { card } },
      );
      expectHidden(
        ['bound-key', 'DE89370400440532013000', '5555444433331111'],
        () =>
          child.error(
            { account: { iban: 'DE89370400440532013000' }, card: { number: '5555444433331111' } },
            'x',
          ),
        out,
      );
    });

    it('hides what redaction hides under nestedKey and in the message', () => {
      const out = lineSink();
      const logger = createLogger({ nestedKey: 'payload', redact: ['token', 'msg'] }, out);
      expectHidden(
        ['nested-tok', 'reset link abc'],
        () => logger.warn({ token: 'nested-tok' }, 'reset link %s', 'abc'),
        out,
      );
      expect(telemetry.findSpan('request')?.events[0]?.attributes?.['log.message']).toBe(
        '[Redacted]',
      );
    });

    it('hides what redaction hides of a logged error, also when the error is recorded on the span', () => {
      const out = lineSink();
      const logger = createLogger({ redact: ['err.config.headers.authorization'] }, out);
      const err = Object.assign(new Error('upstream refused'), {
        config: { headers: { authorization: 'Bearer UPSTREAM' } },
      });
      expectHidden(
        ['Bearer UPSTREAM'],
        () => {
          logger.error({ err }, 'call failed');
          recordError(err);
        },
        out,
      );
      const events = telemetry.findSpan('request')?.events.map((event) => event.name);
      expect(events).toEqual(['log', 'exception']);
      expect(telemetry.logs()[0]?.attributes?.['exception.message']).toBe('upstream refused');
    });

    it("leaves out an error's message when redaction changed it, and the chain's messages with it", () => {
      const out = lineSink();
      const logger = createLogger({ redact: ['err.message', 'err.stack'] }, out);
      const err = new Error('card 4000 0000 0000 0002 declined', {
        cause: new Error('issuer said no'),
      });
      inSpan('request', () => logger.error({ err }, 'payment failed'));
      // The line still lists the causes under err.chain: redact err.chain[*].message to hide them there.
      expect(out.lines[0]).toContain('issuer said no');
      const record = telemetry.logs()[0];
      expect(record?.attributes).toMatchObject({
        'exception.type': 'Error',
        'exception.message': '[Redacted]',
        'exception.stacktrace': '[Redacted]',
        'exception.chain.types': ['Error', 'Error'],
      });
      expect(exportedText(telemetry)).not.toContain('4000 0000');
      expect(exportedText(telemetry)).not.toContain('issuer said no');
    });

    it("hides the causes' messages when redaction hides them in the error's chain", () => {
      const out = lineSink();
      const logger = createLogger(
        { redact: ['err.message', 'err.stack', 'err.chain[*].message'] },
        out,
      );
      const err = new Error('card 4000 0000 0000 0002 declined', {
        cause: new Error('issuer said no to 4000 0000 0000 0002'),
      });
      expectHidden(['4000 0000', 'issuer said no'], () => logger.error({ err }, 'failed'), out);
      expect(out.parsed()[0]?.err).toMatchObject({
        chain: [
          { type: 'Error', message: '[Redacted]' },
          { type: 'Error', message: '[Redacted]' },
        ],
      });
      expect(telemetry.logs()[0]?.attributes).toMatchObject({
        'exception.message': '[Redacted]',
        'exception.chain.types': ['Error', 'Error'],
      });
    });

    it('drops the exception attributes when redaction removes the error', () => {
      const out = lineSink();
      const logger = createLogger({ redact: { paths: ['err'], remove: true } }, out);
      expectHidden(
        ['secret-in-error'],
        () => logger.error({ err: new Error('secret-in-error') }, 'failed'),
        out,
      );
      expect(telemetry.logs()[0]?.attributes).toEqual({});
    });

    it('exports live objects that do not serialize as the line shows them, without throwing', () => {
      const out = lineSink();
      const socket: Record<string, unknown> = { secret: 'socket-secret' };
      socket.self = socket;
      const logger = createLogger(
        {
          serializers: {
            req: (req: { method: string; socket: unknown }) => ({ method: req.method }),
          },
        },
        out,
      );
      expectHidden(
        ['socket-secret'],
        () => logger.warn({ req: { method: 'GET', socket } }, 'incoming'),
        out,
      );
      expect(telemetry.logs()[0]?.attributes).toEqual({ req: '{"method":"GET"}' });
    });
  });
}
