import { SeverityNumber, trace } from '@opentelemetry/api';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logs/pino/create-logger.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';

type Line = Record<string, unknown>;

function memoryStream() {
  const lines: Line[] = [];
  return { lines, write: (text: string) => void lines.push(JSON.parse(text) as Line) };
}

/**
 * The behaviour of `createLogger()` with whichever pino the module graph
 * resolves: run once with the newest pino in the peer range and once with
 * the oldest (its test file maps `pino` to that version).
 */
export function describeCreateLogger(expectedMajor: number): void {
  it(`runs against pino ${expectedMajor}.x, inside otelkit's peer range`, async () => {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    );
    const range: string = manifest.peerDependencies.pino;
    const [low, high] = /^>=(\d+)\.\d+\.\d+ <(\d+)/.exec(range)!.slice(1).map(Number) as [
      number,
      number,
    ];
    const major = Number(pino.version.split('.')[0]);
    expect(major).toBe(expectedMajor);
    expect(major >= low && major < high).toBe(true);
  });

  let telemetry: TestTelemetry;
  beforeEach(() => {
    telemetry = createTestTelemetry();
  });
  afterEach(() => telemetry.shutdown());

  function inSpan<T>(name: string, fn: () => T): { result: T; spanName: string } {
    const result = trace.getTracer('test').startActiveSpan(name, (span) => {
      try {
        return fn();
      } finally {
        span.end();
      }
    });
    return { result, spanName: name };
  }

  describe('createLogger()', () => {
    it('adds trace_id, span_id and trace_flags to lines written inside a span, only there', () => {
      const out = memoryStream();
      const logger = createLogger({ base: undefined }, out);
      logger.info('outside');
      inSpan('work', () => logger.info({ step: 1 }, 'inside'));
      const span = telemetry.findSpan('work')!;
      expect(out.lines[0]).not.toHaveProperty('trace_id');
      expect(out.lines[1]).toMatchObject({
        msg: 'inside',
        step: 1,
        trace_id: span.spanContext().traceId,
        span_id: span.spanContext().spanId,
        trace_flags: '01',
      });
    });

    it('emits each record as an OpenTelemetry log record with the trace context', () => {
      const out = memoryStream();
      const logger = createLogger({ base: undefined }, out).child({ component: 'billing' });
      inSpan('charge', () => logger.info({ orderId: 'o-42', amount: 12.5 }, 'charged %s', 'card'));
      const span = telemetry.findSpan('charge')!;
      const [record] = telemetry.logs();
      expect(record?.body).toBe('charged card');
      expect(record?.severityNumber).toBe(SeverityNumber.INFO);
      expect(record?.severityText).toBe('INFO');
      expect(record?.attributes).toMatchObject({
        orderId: 'o-42',
        amount: 12.5,
        component: 'billing',
      });
      expect(record?.spanContext?.traceId).toBe(span.spanContext().traceId);
      expect(record?.spanContext?.spanId).toBe(span.spanContext().spanId);
      expect(record?.instrumentationScope.name).toBe('otelkit/pino');
    });

    it('adds a log event to the span for a warn line, not for an info line', () => {
      const logger = createLogger({}, memoryStream());
      inSpan('job', () => {
        logger.info('fine');
        logger.warn({ attempt: 2 }, 'retrying');
      });
      const events = telemetry.findSpan('job')!.events;
      expect(events.map((e) => e.name)).toEqual(['log']);
      expect(events[0]?.attributes).toEqual({ 'log.severity': 'WARN', 'log.message': 'retrying' });
    });

    it('honours spanEventLevel, and false disables span events', () => {
      const strict = createLogger({ spanEventLevel: 'error' }, memoryStream());
      const silent = createLogger({ spanEventLevel: false }, memoryStream());
      inSpan('a', () => {
        strict.warn('not an event');
        strict.error('an event');
        silent.fatal('no event either');
      });
      const messages = telemetry.findSpan('a')!.events.map((e) => e.attributes?.['log.message']);
      expect(messages).toEqual(['an event']);
    });

    it("keeps pino's error serialization and adds the cause chain", () => {
      const out = memoryStream();
      const logger = createLogger({}, out);
      const err = new Error('checkout failed', { cause: new TypeError('card declined') });
      inSpan('checkout', () => logger.error({ err }, 'order lost'));
      const line = out.lines[0] as { err: Record<string, unknown>; msg: string };
      expect(line.msg).toBe('order lost');
      expect(line.err).toMatchObject({ type: 'Error', message: 'checkout failed: card declined' });
      expect(line.err.stack).toContain('caused by: TypeError: card declined');
      expect(line.err.chain).toEqual([
        { type: 'Error', message: 'checkout failed' },
        { type: 'TypeError', message: 'card declined' },
      ]);
      const [record] = telemetry.logs();
      expect(record?.attributes).toMatchObject({
        'exception.type': 'Error',
        'exception.message': 'checkout failed',
        'exception.chain.types': ['Error', 'TypeError'],
        'exception.chain.messages': ['checkout failed', 'card declined'],
      });
      expect(record?.attributes).not.toHaveProperty('err');
      expect(record?.body).toBe('order lost');
    });

    it('takes an error as the only argument the way pino does', () => {
      const out = memoryStream();
      createLogger({}, out).error(new RangeError('out of range'));
      expect(out.lines[0]).toMatchObject({ msg: 'out of range', err: { type: 'RangeError' } });
      expect(telemetry.logs()[0]?.body).toBe('out of range');
    });

    it('accepts every pino option: a mixin, hooks, a destination as the only argument', () => {
      const out = memoryStream();
      const seen: number[] = [];
      const logger = createLogger(
        {
          base: undefined,
          mixin: () => ({ region: 'eu' }),
          hooks: {
            logMethod(args, method, level) {
              seen.push(level);
              return method.apply(this, args);
            },
          },
        },
        out,
      );
      inSpan('x', () => logger.info('hello'));
      expect(out.lines[0]).toMatchObject({ region: 'eu', msg: 'hello' });
      expect(out.lines[0]).toHaveProperty('trace_id');
      expect(seen).toEqual([30]);

      const direct = memoryStream();
      createLogger(direct).info('to the stream');
      expect(direct.lines[0]).toMatchObject({ msg: 'to the stream' });
    });

    it('writes lines as usual when no LoggerProvider is registered', async () => {
      await telemetry.shutdown();
      const out = memoryStream();
      createLogger({}, out).warn('still written');
      expect(out.lines[0]).toMatchObject({ msg: 'still written' });
      expect(out.lines[0]).not.toHaveProperty('trace_id');
    });

    it('skips records below the logger level entirely', () => {
      const logger = createLogger({ level: 'warn' }, memoryStream());
      logger.info('dropped');
      expect(telemetry.logs()).toEqual([]);
    });
  });
}
