import Fastify, { type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { recordError } from '../errors/record-error.ts';
import { decodeRequest } from '../export/test-support/otlp-messages.ts';
import { otelkitPlugin } from '../http/adapters/fastify.ts';
import { createLogger } from '../logs/pino/create-logger.ts';
import { setup } from '../setup/setup.ts';
import { request } from './http-client.ts';
import { inSpan, lineSink } from './log-line-capture.ts';
import { type OtlpBodySink, startOtlpBodySink } from './otlp-body-sink.ts';

let sink: OtlpBodySink | undefined;

const SECRETS = [
  'hunter2',
  'Bearer SECRET',
  'tok-123',
  '4242424242424242',
  'wild-pw',
  'removed-key',
  'bound-key',
  'nested-tok',
  'Bearer UPSTREAM',
  'Bearer FASTIFY-SECRET',
  'COOKIE-SECRET',
];

interface DecodedRecord {
  body?: { stringValue?: string };
  attributes: { key: string; value: { stringValue?: string } }[];
}

function logRecords(bodies: Buffer[]): DecodedRecord[] {
  return bodies.flatMap((body) => {
    const request = decodeRequest('logs', body) as {
      resourceLogs: { scopeLogs: { logRecords: DecodedRecord[] }[] }[];
    };
    return request.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));
  });
}

/**
 * The official export path end to end: setup() sends OTLP/protobuf to a
 * loopback endpoint, and no redacted value is anywhere in the bytes it sent.
 * Run with the newest and the oldest pino of otelkit's peer range.
 */
export function describeOtlpRedaction(major: number): void {
  describe(`redaction in what setup() sends (pino ${major})`, () => {
    afterEach(async () => {
      await sink?.close();
      sink = undefined;
    });

    it('sends no redacted value in any OTLP request: traces, logs or metrics', async () => {
      sink = await startOtlpBodySink();
      const telemetry = setup({ service: { name: 'redaction' }, endpoint: sink.url });
      const out = lineSink();
      const logger = createLogger(
        {
          redact: {
            paths: [
              'user.password',
              'headers.authorization',
              'token',
              '*.password',
              'err.config.headers.authorization',
              'apiKey',
              'req.headers.authorization',
              'req.headers.cookie',
            ],
            censor: (value: unknown) => `<${String(value).length}>`,
          },
          serializers: {
            card: (card: { number: string }) => ({ last4: card.number.slice(-4) }),
            req: (req: FastifyRequest) => ({
              method: req.method,
              url: req.url,
              headers: req.headers,
            }),
          },
        },
        out,
      );
      const removing = createLogger(
        { redact: { paths: ['key', 'token'], remove: true }, nestedKey: 'data' },
        out,
      );
      inSpan('job', () => {
        logger.warn(
          {
            user: { name: 'ada', password: 'hunter2' },
            headers: { authorization: 'Bearer SECRET' },
            token: 'tok-123',
            card: { number: '4242424242424242' },
            db: { password: 'wild-pw' },
          },
          'login',
        );
        logger.child({ apiKey: 'bound-key' }).warn('bound');
        removing.warn({ key: 'removed-key', token: 'nested-tok' }, 'nested');
        const err = Object.assign(new Error('upstream refused'), {
          config: { headers: { authorization: 'Bearer UPSTREAM' } },
        });
        logger.error({ err }, 'call failed');
        recordError(err);
      });

      const app = Fastify({ loggerInstance: logger });
      await app.register(otelkitPlugin);
      app.get('/users/:id', async () => ({ ok: true }));
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const headers = { authorization: 'Bearer FASTIFY-SECRET', cookie: 'session=COOKIE-SECRET' };
      expect((await request(`${url}/users/7`, { headers })).status).toBe(200);
      await app.close();
      await telemetry.shutdown();

      const paths = new Set(sink.received.map((r) => r.path));
      expect(paths).toEqual(new Set(['/v1/traces', '/v1/logs', '/v1/metrics']));
      const everything = Buffer.concat(sink.received.map((r) => r.body));
      for (const secret of SECRETS) {
        expect(everything.includes(secret), secret).toBe(false);
        expect(out.lines.join(''), secret).not.toContain(secret);
      }
      // What reached the backend in their place: the censor's marks of their lengths.
      expect(everything.includes('<7>')).toBe(true);
      const records = logRecords(
        sink.received.filter((r) => r.path === '/v1/logs').map((r) => r.body),
      );
      const bodies = records.map((record) => record.body?.stringValue);
      expect(bodies).toEqual(expect.arrayContaining(['login', 'bound', 'nested', 'call failed']));
      const incoming = records.find((record) => record.body?.stringValue === 'incoming request');
      const req = incoming?.attributes.find((a) => a.key === 'req')?.value.stringValue;
      expect(JSON.parse(req ?? '{}')).toMatchObject({ method: 'GET', url: '/users/7' });
    });
  });
}
