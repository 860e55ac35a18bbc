import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setup } from '../setup/setup.ts';
import { isSetupError } from '../setup/setup-error.ts';
import type { SetupOptions, Telemetry } from '../setup/setup-options.ts';
import { withSpan } from '../trace/with-span.ts';
import { startRedis } from './test-support/redis-server.ts';
import { skipWithout, type TestServer } from './test-support/server-process.ts';

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('setup({ databases }) validation', () => {
  it.each([
    ['databases', 'yes', '"yes"'],
    ['databases', null, 'null'],
    ['databases', [], '[]'],
    ['databases.queryText', { queryText: 'no' }, '"no"'],
    ['databases.querytext', { querytext: false }, 'false'],
  ])('fails fast naming %s for %j', (option, value, shown) => {
    let thrown: unknown;
    try {
      telemetry = setup({ exporter: 'none', databases: value as SetupOptions['databases'] });
    } catch (error) {
      thrown = error;
    }
    expect(isSetupError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(option);
    expect((thrown as Error).message).toContain(`${option} = ${shown}`);
  });
});

describe.skipIf(skipWithout('redis-server', 'redis-server'))('setup() and database clients', () => {
  let server: TestServer;
  let client: ReturnType<typeof createClient>;

  beforeAll(async () => {
    server = await startRedis();
    client = createClient({ socket: { host: server.host, port: server.port } });
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  async function commandSpans(options: SetupOptions): Promise<ReadableSpan[]> {
    const exporter = new InMemorySpanExporter();
    telemetry = setup({ exporter: 'none', traces: { exporter }, ...options });
    await withSpan('load profile', () => client.get('profile:9'));
    await telemetry.forceFlush();
    return exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
  }

  it('traces database clients by default', async () => {
    const [get, ...others] = await commandSpans({});
    expect(others).toEqual([]);
    expect(get!.name).toBe('GET');
    expect(get!.instrumentationScope.name).toBe('otelkit');
    expect(get!.attributes['db.query.text']).toBe('GET profile:9');
    expect(telemetry!.config.databases).toBe(true);
  });

  it('leaves them alone with databases: false', async () => {
    expect(await commandSpans({ databases: false })).toEqual([]);
    expect(telemetry!.config.databases).toBe(false);
  });

  it('leaves the query text out with { queryText: false }', async () => {
    const [get] = await commandSpans({ databases: { queryText: false } });
    expect(get!.attributes['db.operation.name']).toBe('GET');
    expect(get!.attributes).not.toHaveProperty('db.query.text');
  });

  it('stops tracing at shutdown', async () => {
    await commandSpans({});
    await telemetry!.shutdown();
    const exporter = new InMemorySpanExporter();
    telemetry = setup({ exporter: 'none', traces: { exporter }, databases: false });
    await client.get('profile:9');
    await telemetry.forceFlush();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
