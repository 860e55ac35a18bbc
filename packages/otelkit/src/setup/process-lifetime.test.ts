import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../export/test-support/closed-port.ts';
import { type OtlpTraceSink, startOtlpTraceSink } from '../test-support/otlp-trace-sink.ts';
import { SOURCE_NODE_FLAGS } from '../test-support/source-node.ts';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const sinks: OtlpTraceSink[] = [];

afterEach(async () => {
  await Promise.allSettled(sinks.splice(0).map((sink) => sink.close()));
});

async function sink(): Promise<OtlpTraceSink> {
  const started = await startOtlpTraceSink();
  sinks.push(started);
  return started;
}

/** Runs an ES module script as an app would, resolving `otelkit` to its sources. */
function run(
  script: string,
  options: { env?: Record<string, string>; args?: string[]; stderr?: 'pipe' } = {},
) {
  const child = spawn(
    process.execPath,
    [...SOURCE_NODE_FLAGS, ...(options.args ?? []), '--input-type=module', '-e', script],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', options.stderr ?? 'inherit'],
    },
  );
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited };
}

describe('process lifetime', () => {
  it('lets a script that only calls setup() exit by itself', async () => {
    const { exited } = run(
      "import { setup } from 'otelkit/setup'; setup({ service: { name: 'script' } });",
      { env: { OTEL_TRACES_EXPORTER: 'none' } },
    );
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('exports what a script recorded when its event loop empties without shutdown()', async () => {
    const { url } = await sink();
    const { exited } = run(
      `import { setup } from 'otelkit/setup';
       import { withSpan } from 'otelkit';
       setup({ service: { name: 'forgetful' }, endpoint: ${JSON.stringify(url)} });
       await withSpan('nightly-job', async () => {});`,
    );
    const [code] = await exited;
    expect(code).toBe(0);
    const received = sinks[0]!.spans;
    expect(received.map((span) => span.name)).toEqual(['nightly-job']);
    expect(received[0]!.resource['service.name']).toBe('forgetful');
  });

  it('lets a script end at once when no collector listens, saying in one line where its data was going', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    // Deadlines far beyond the test's timeout: only giving up on the refused backend ends the script.
    const { child, exited } = run(
      `import { setup } from 'otelkit/setup';
       import { withSpan } from 'otelkit';
       const t = setup({ service: { name: 'offline' }, endpoint: ${JSON.stringify(endpoint)}, shutdownTimeoutMs: 600000 });
       t.meter().createCounter('jobs').add(1);
       await withSpan('nightly-job', async () => {});`,
      {
        env: { OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: '600000' },
        stderr: 'pipe',
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const [code] = await exited;
    expect(code).toBe(0);
    // One line per destination, nothing else from otelkit.
    const lines = stderr.split('\n').filter((line) => line.includes('otelkit'));
    expect(lines).toEqual([
      expect.stringMatching(/^\(node:\d+\) OtelkitWarning: otelkit: 1 span was not exported to /),
      expect.stringMatching(
        /OtelkitWarning: otelkit: \d+ metric data points were not exported to /,
      ),
    ]);
    expect(lines[0]).toContain(`${endpoint}/v1/traces: connection refused`);
    expect(lines[1]).toContain(`${endpoint}/v1/metrics: connection refused`);
  });

  it('lets a crash end the process at once when no collector listens', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const { exited } = run(
      `import { setup } from 'otelkit/setup';
       import { captureCrashes } from 'otelkit';
       setup({ service: { name: 'offline' }, endpoint: ${JSON.stringify(endpoint)}, shutdownTimeoutMs: 600000 });
       captureCrashes({ flushTimeoutMs: 600000 });
       setTimeout(() => { throw new Error('boom'); }, 0);`,
      {
        env: { OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: '600000' },
        stderr: 'pipe',
      },
    );
    const [code] = await exited;
    expect(code).toBe(1);
  });

  it('flushes and exits with 143 on SIGTERM when handleSignals is on', async () => {
    const { url } = await sink();
    const { child, exited } = run(
      `import { setup } from 'otelkit/setup';
       const t = setup({ service: { name: 'sig' }, endpoint: ${JSON.stringify(url)}, handleSignals: true });
       t.tracer().startSpan('before-sigterm').end();
       setInterval(() => {}, 1000);
       process.stdout.write('ready\\n');`,
    );
    await once(child.stdout!, 'data');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(143);
    expect(sinks[0]!.spans.map((span) => span.name)).toEqual(['before-sigterm']);
  });

  it('leaves the exit to an app that handles SIGTERM itself, after flushing', async () => {
    const { url } = await sink();
    const { child, exited } = run(
      `import { setup } from 'otelkit/setup';
       const t = setup({ service: { name: 'drain' }, endpoint: ${JSON.stringify(url)}, handleSignals: true });
       t.tracer().startSpan('served').end();
       const keepAlive = setInterval(() => {}, 1000);
       process.on('SIGTERM', () => clearInterval(keepAlive)); // the app drains, then ends by itself
       process.stdout.write('ready\\n');`,
    );
    await once(child.stdout!, 'data');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(sinks[0]!.spans.map((span) => span.name)).toEqual(['served']);
  });
});

describe('otelkit/register', () => {
  it('sets up from the OTEL_* environment before the app runs and exports at exit', async () => {
    const { url } = await sink();
    const { exited } = run(
      `import { trace } from '@opentelemetry/api';
       import { withSpan } from 'otelkit';
       // The SDK is registered before the app's first module runs.
       const probe = trace.getTracer('probe').startSpan('probe');
       if (!probe.isRecording()) process.exit(3);
       probe.end();
       await withSpan('registered-work', async () => {});`,
      {
        args: ['--import', 'otelkit/register'],
        env: { OTEL_SERVICE_NAME: 'registered', OTEL_EXPORTER_OTLP_ENDPOINT: url },
      },
    );
    const [code] = await exited;
    expect(code).toBe(0);
    const names = sinks[0]!.spans.map((span) => span.name);
    expect(names).toContain('registered-work');
    expect(sinks[0]!.spans[0]!.resource['service.name']).toBe('registered');
  });

  it('flushes and exits with 143 on SIGTERM', async () => {
    const { url } = await sink();
    const { child, exited } = run(
      `import { trace } from '@opentelemetry/api';
       trace.getTracer('app').startSpan('before-sigterm').end();
       setInterval(() => {}, 1000);
       process.stdout.write('ready\\n');`,
      {
        args: ['--import', 'otelkit/register'],
        env: { OTEL_SERVICE_NAME: 'registered', OTEL_EXPORTER_OTLP_ENDPOINT: url },
      },
    );
    await once(child.stdout!, 'data');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(143);
    expect(sinks[0]!.spans.map((span) => span.name)).toEqual(['before-sigterm']);
  });
});
