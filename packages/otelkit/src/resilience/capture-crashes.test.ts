import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { SeverityNumber } from '@opentelemetry/api';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingExporter } from '../test-support/exporters.ts';
import { startOtlpTraceSink } from '../test-support/otlp-trace-sink.ts';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { captureCrashes, recordCrash } from './capture-crashes.ts';
import { flushTelemetry } from './flush-telemetry.ts';

const packageRoot = join(import.meta.dirname, '..', '..');

/** Runs an ES module snippet in a child Node that resolves `otelkit` to its sources. */
async function runChild(code: string, env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [...SOURCE_NODE_FLAGS, '--input-type=module', '--eval', code],
    { cwd: packageRoot, env: { ...process.env, ...env }, timeout: 15_000 },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code_] = (await once(child, 'exit')) as [number | null];
  return { code: code_, stdout, stderr };
}

/** An app that crashes in a span; unless it exits, it prints 'still running' after `laterMs`. */
const crashingApp = (crash: string, options = '{}', laterMs = 10_000) => `
  import { captureCrashes, withSpan } from 'otelkit';
import { setup } from 'otelkit/setup';
  setup({ service: { name: 'crashy' }, endpoint: process.env.SINK_URL });
  captureCrashes(${options});
  withSpan('handle job', () => { ${crash} });
  setTimeout(() => console.log('still running'), ${laterMs});
`;

let telemetry: TestTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('captureCrashes()', () => {
  it('records an uncaught exception, flushes it to the exporter and exits with code 1', async () => {
    const sink = await startOtlpTraceSink();
    try {
      const run = await runChild(
        crashingApp("setTimeout(() => { throw new Error('disk on fire'); }, 0);"),
        { SINK_URL: sink.url },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).not.toContain('still running');
      expect(run.stderr).toContain('uncaughtException');
      expect(run.stderr).toContain('disk on fire');
      const crash = sink.spans.find((s) => s.name === 'uncaughtException');
      expect(crash?.attributes).toMatchObject({
        'crash.kind': 'uncaughtException',
        'error.type': 'Error',
      });
      expect(sink.spans.map((s) => s.name)).toContain('handle job');
      expect(sink.requests.map((r) => r.path)).toContain('/v1/logs');
    } finally {
      await sink.close();
    }
  });

  it('counts one crash that escaped a withSpan as one error: the crash span links to the span that recorded it', async () => {
    const sink = await startOtlpTraceSink();
    try {
      const run = await runChild(
        crashingApp(
          "return (async () => { await new Promise((r) => setTimeout(r, 0)); throw new Error('disk on fire'); })();",
        ),
        { SINK_URL: sink.url },
      );
      expect(run.code).toBe(1);
      const job = sink.spans.find((s) => s.name === 'handle job');
      const crash = sink.spans.find((s) => s.name === 'unhandledRejection');
      const exceptions = sink.spans.flatMap((s) => s.events).filter((e) => e === 'exception');
      expect(exceptions).toHaveLength(1);
      expect(job?.events).toEqual(['exception']);
      expect(crash?.statusCode).toBe(2);
      expect(crash?.links).toEqual([job?.spanId]);
      expect(crash?.attributes).toMatchObject({
        'crash.kind': 'unhandledRejection',
        'error.type': 'Error',
      });
    } finally {
      await sink.close();
    }
  });

  it('records an unhandled rejection the same way', async () => {
    const sink = await startOtlpTraceSink();
    try {
      const run = await runChild(
        crashingApp("Promise.reject(Object.assign(new Error('lost'), { code: 'E_LOST' }));"),
        { SINK_URL: sink.url },
      );
      expect(run.code).toBe(1);
      const crash = sink.spans.find((s) => s.name === 'unhandledRejection');
      expect(crash?.attributes).toMatchObject({ 'error.type': 'E_LOST' });
    } finally {
      await sink.close();
    }
  });

  it('keeps the process running with exit: false', async () => {
    const sink = await startOtlpTraceSink();
    try {
      const run = await runChild(
        crashingApp(
          "setTimeout(() => { throw new Error('survivable'); }, 0);",
          '{ exit: false }',
          200,
        ),
        { SINK_URL: sink.url },
      );
      expect(run.stdout).toContain('still running');
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('survivable');
    } finally {
      await sink.close();
    }
  });

  it('returns a function that uninstalls its handlers', () => {
    const exceptions = process.listenerCount('uncaughtException');
    const rejections = process.listenerCount('unhandledRejection');
    const uninstall = captureCrashes({ exit: false });
    expect(process.listenerCount('uncaughtException')).toBe(exceptions + 1);
    expect(process.listenerCount('unhandledRejection')).toBe(rejections + 1);
    uninstall();
    expect(process.listenerCount('uncaughtException')).toBe(exceptions);
    expect(process.listenerCount('unhandledRejection')).toBe(rejections);
  });
});

describe('recordCrash()', () => {
  it('records a span with the error and a fatal log record', () => {
    telemetry = createTestTelemetry();
    recordCrash(new RangeError('index out of range'), 'uncaughtException', true);
    const span = telemetry.findSpan('uncaughtException');
    expect(span?.status.code).toBe(2);
    expect(span?.events[0]?.attributes).toMatchObject({
      'exception.type': 'RangeError',
      'exception.message': 'index out of range',
    });
    const [log] = telemetry.logs();
    expect(log?.severityNumber).toBe(SeverityNumber.FATAL);
    expect(log?.attributes).toMatchObject({
      'crash.kind': 'uncaughtException',
      'exception.type': 'RangeError',
    });
  });

  it('records thrown values that are not errors', () => {
    telemetry = createTestTelemetry();
    recordCrash('just a string', 'unhandledRejection', false);
    recordCrash(null, 'unhandledRejection', false);
    expect(telemetry.spans()).toHaveLength(2);
    expect(telemetry.logs().map((r) => r.severityNumber)).toEqual([
      SeverityNumber.ERROR,
      SeverityNumber.ERROR,
    ]);
  });
});

describe('flushTelemetry()', () => {
  it('flushes the registered providers, so batched spans are exported', async () => {
    const exporter = new RecordingExporter<unknown[]>();
    telemetry = createTestTelemetry({
      spanProcessors: [
        new BatchSpanProcessor({ exporter: exporter as never, scheduledDelayMillis: 60_000 }),
      ],
    });
    recordCrash(new Error('boom'), 'uncaughtException', true);
    expect(exporter.exported).toHaveLength(0);
    await flushTelemetry(5_000, false);
    expect(exporter.exported.flat()).toHaveLength(1);
  });

  it('gives up after the timeout when a provider hangs', async () => {
    telemetry = createTestTelemetry({
      spanProcessors: [
        {
          onStart() {},
          onEnd() {},
          forceFlush: () => new Promise(() => {}),
          shutdown: () => Promise.resolve(),
        },
      ],
    });
    await expect(flushTelemetry(20, false)).resolves.toBeUndefined();
  });
});
