import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentHandler } from '../http/adapters/node-http.ts';
import { setup } from '../setup/setup.ts';
import { isSetupError, SetupError } from '../setup/setup-error.ts';
import type { Telemetry } from '../setup/setup-options.ts';
import { captureWarnings } from '../test-support/exporters.ts';
import { type OtlpTraceSink, startOtlpTraceSink } from '../test-support/otlp-trace-sink.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sink(): Promise<OtlpTraceSink> {
  const started = await startOtlpTraceSink();
  cleanups.push(() => started.close());
  return started;
}

function start(options: Parameters<typeof setup>[0]): Telemetry {
  const telemetry = setup(options);
  cleanups.push(() => telemetry.shutdown().catch(() => {}));
  return telemetry;
}

/** A node:http server traced by otelkit: `/fail` answers 500, anything else 200. */
async function server(): Promise<string> {
  const listening: Server = createServer(
    instrumentHandler(
      (req, res) => {
        res.statusCode = req.url === '/fail' ? 500 : 200;
        res.end('done');
      },
      { route: (req) => req.url },
    ),
  ).listen(0, '127.0.0.1');
  await once(listening, 'listening');
  cleanups.push(() => new Promise((resolve) => listening.close(resolve)));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

describe('setup({ sampling })', () => {
  it('sends the failing requests only at ratio 0, while the HTTP metrics count every request', async () => {
    const received = await sink();
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter: metrics,
      exportIntervalMillis: 3_600_000,
    });
    const telemetry = start({
      service: { name: 'orders' },
      endpoint: received.url,
      sampling: { ratio: 0 },
      metrics: { readers: [reader] },
      httpClient: false,
    });
    expect(telemetry.config.sampler).toBe('tail');
    expect(telemetry.config.sampling).toEqual({
      ratio: 0,
      keepErrors: true,
      keepSlowerThanMs: undefined,
      keepSlaMisses: true,
      maxBufferBytes: 8 * 1024 * 1024,
      maxTraceWaitMs: 30_000,
    });
    const base = await server();
    for (let i = 0; i < 20; i++) {
      await (await fetch(`${base}/${i % 10 === 0 ? 'fail' : 'ok'}`)).text();
    }
    await telemetry.forceFlush();
    expect(
      received.spans.map((span) => [span.name, span.attributes['otelkit.sampling.reason']]),
    ).toEqual([
      ['GET /fail', 'error'],
      ['GET /fail', 'error'],
    ]);

    await reader.forceFlush();
    // Cumulative: the last export holds every count.
    const exported = metrics
      .getMetrics()
      .at(-1)!
      .scopeMetrics.flatMap((s) => s.metrics);
    const points = (name: string) =>
      exported
        .filter((m) => m.descriptor.name === name)
        .flatMap((m) => m.dataPoints as { attributes: Record<string, unknown>; value: unknown }[]);
    const requests = points('http.server.request.duration');
    expect(requests.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(20);
    const decisions = Object.fromEntries(
      points('otelkit.sampling.traces').map((p) => [
        p.attributes['otelkit.sampling.decision'],
        p.value,
      ]),
    );
    expect(decisions).toEqual({ error: 2, dropped: 18 });
    // Spans sampled out are no export failures.
    const failures = points('otel.sdk.processor.span.processed').filter(
      (p) => p.attributes['error.type'],
    );
    expect(failures).toEqual([]);
  });
});

describe('setup({ sampling }) validation', () => {
  it.each([
    [{ sampling: { ratio: 1.5 } }, 'sampling.ratio', '1.5'],
    [{ sampling: {} }, 'sampling.ratio', 'undefined'],
    [{ sampling: { ratio: 0.1, keepErrors: 'yes' } }, 'sampling.keepErrors', '"yes"'],
    [{ sampling: { ratio: 0.1, keepSlaMisses: 1 } }, 'sampling.keepSlaMisses', '1'],
    [{ sampling: { ratio: 0.1, keepSlowerThanMs: 0 } }, 'sampling.keepSlowerThanMs', '0'],
    [{ sampling: { ratio: 0.1, maxBufferBytes: 1.5 } }, 'sampling.maxBufferBytes', '1.5'],
    [
      { sampling: { ratio: 0.1, maxTraceWaitMs: Number.POSITIVE_INFINITY } },
      'sampling.maxTraceWaitMs',
      'Infinity',
    ],
    [{ sampling: { ratio: 0.1, keepSlowRequests: true } }, 'sampling.keepSlowRequests', 'true'],
    [{ sampling: 0.1 }, 'sampling', '0.1'],
    [{ sampling: { ratio: 0.1 }, sampleRatio: 0.5 }, 'sampleRatio', '0.5'],
  ])('throws SetupError for %j naming %s', (options, option, value) => {
    let thrown: unknown;
    try {
      setup(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SetupError);
    expect(isSetupError(thrown)).toBe(true);
    expect((thrown as SetupError).option).toBe(option);
    expect((thrown as Error).message).toContain(`${option} = ${value}`);
  });

  it('warns that other span exporters get the ratio’s share only', async () => {
    const warnings = captureWarnings();
    cleanups.push(() => warnings.stop());
    start({
      exporter: 'none',
      traces: { exporter: new InMemorySpanExporter() },
      sampling: { ratio: 0.1 },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.messages).toEqual([
      "otelkit: sampling keeps errors and slow traces in the OTLP http/protobuf span export only; the traces.exporter given gets the ratio's share of traces (the sampled flag)",
    ]);
  });
});
