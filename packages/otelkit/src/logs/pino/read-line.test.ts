// The quick reading of a line (from where the logger's bindings end, member
// by member) gives exactly what parsing the whole line gives, whatever the
// line holds: escapes, unicode, nested values, repeated and odd keys.
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { propertyParameters } from '../../export/test-support/arbitraries.ts';
import { inSpan, lineSink } from '../../test-support/log-line-capture.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { createLogger } from './create-logger.ts';
import { readWhole } from './read-line.ts';

let telemetry: TestTelemetry;
beforeAll(() => {
  telemetry = createTestTelemetry();
});
afterAll(() => telemetry.shutdown());

const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'orderId', 'user', 'tags') },
  fc.constantFrom('msg', 'message', 'err', 'payload', 'level', 'time', 'pid', 'hostname'),
  fc.constantFrom('trace_id', 'span_id', 'trace_flags', '__proto__', '', 'a"b', 'a\\', 'ü', '\n'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const value = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\\', '"', '\\"', '}', ',"x":1', '\u2028', '\ud800'),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constant(null),
  fc.double(),
);
const fields = fc.array(fc.tuple(key, value), { maxLength: 6 }).map((pairs) => {
  const object: Record<string, unknown> = {};
  for (const [name, item] of pairs)
    Object.defineProperty(object, name, {
      value: item,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return object;
});
const call = fc.record({
  fields,
  message: fc.option(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), { nil: undefined }),
  inSpan: fc.boolean(),
  child: fc.integer({ min: 0, max: 2 }),
});
const shape = fc.record({
  messageKey: fc.constantFrom(undefined, 'message'),
  nestedKey: fc.constantFrom(undefined, 'payload'),
  base: fc.constantFrom(undefined, null, { service: 'x' }),
  timestamp: fc.constantFrom<pino.LoggerOptions['timestamp']>(
    undefined,
    false,
    pino.stdTimeFunctions.isoTime,
  ),
  levelFormatter: fc.boolean(),
  crlf: fc.boolean(),
  bindings: fields,
  calls: fc.array(call, { minLength: 1, maxLength: 6 }),
});

it('reads every line as parsing it whole does', () => {
  fc.assert(
    fc.property(shape, (given) => {
      telemetry.reset();
      const out = lineSink();
      const root = createLogger(
        {
          messageKey: given.messageKey,
          nestedKey: given.nestedKey,
          base: given.base,
          timestamp: given.timestamp,
          crlf: given.crlf,
          ...(given.levelFormatter
            ? { formatters: { level: (label: string) => ({ severity: label }) } }
            : {}),
        },
        out,
      );
      const loggers = [root, root.child(given.bindings), root.child({ component: 'c' })];
      for (const { fields, message, inSpan: spanned, child } of given.calls) {
        const log = () => loggers[child]!.info(fields, message);
        if (spanned) inSpan('line', log);
        else log();
      }
      const keys = {
        messageKey: given.messageKey ?? 'msg',
        errorKey: 'err',
        nestedKey: given.nestedKey,
        rewrites: false,
      };
      const records = telemetry.logs();
      expect(records).toHaveLength(out.lines.length);
      out.lines.forEach((line, index) => {
        const record = records[index]!;
        const whole = readWhole(line, keys, record.spanContext !== undefined, true);
        expect(record.body).toBe(whole.message);
        // The SDK takes no attribute named '' (it warns and drops it).
        const { '': _empty, ...expected } = whole.attributes ?? {};
        expect(record.attributes).toEqual(expected);
      });
    }),
    { ...propertyParameters, numRuns: Math.min(propertyParameters.numRuns, 300) },
  );
});
