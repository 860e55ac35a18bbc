import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as alerts from '../../alerts/index.ts';
import * as core from '../../index.ts';
import * as setupEntry from '../../setup/index.ts';
import type { CallFrame } from './cpu-profile.ts';
import { OTELKIT_ERROR_CLASS_FILES, placeFrame } from './module-group.ts';
import { packageFinder } from './package-of-file.ts';

const frame = (url: string, functionName = 'work'): CallFrame => ({
  functionName,
  url,
  scriptId: '1',
  lineNumber: 0,
  columnNumber: 0,
});
const place = (url: string, functionName?: string) =>
  placeFrame(frame(url, functionName), packageFinder());
const installed = (path: string) => pathToFileURL(`/srv/app/node_modules/${path}`).href;
const here = (relative: string) => new URL(relative, import.meta.url).href;

describe('placeFrame', () => {
  it('places otelkit reached through the workspace symlink by its package.json', () => {
    expect(place(here('../../http/http-server-telemetry.ts')).group).toBe('otelkit');
    expect(place(here('../../trace/with-span.ts')).source).toBe('otelkit');
  });

  it('places otelkit installed under node_modules, sources or build', () => {
    expect(place(installed('otelkit/dist/http/http-server-telemetry.js')).group).toBe('otelkit');
    expect(place(installed('otelkit/src/trace/with-span.ts')).group).toBe('otelkit');
  });

  it("leaves otelkit's error classes to whoever builds the error", () => {
    for (const file of ['errors/categorized-error', 'resilience/retry-error']) {
      expect(place(installed(`otelkit/dist/${file}.js`))).toEqual({
        group: undefined,
        source: 'otelkit',
      });
      expect(place(here(`../../${file}.ts`)).group).toBeUndefined();
    }
    // recordError and the classifier are telemetry, whatever their file is called.
    expect(place(installed('otelkit/dist/errors/record-error.js')).group).toBe('otelkit');
    expect(place(installed('otelkit/dist/errors/classify-error.js')).group).toBe('otelkit');
  });

  it('knows every error class otelkit exports', () => {
    const kebab = (name: string) => name.replace(/(?<!^)[A-Z]/g, (c) => `-${c}`).toLowerCase();
    const classes = Object.entries({ ...core, ...setupEntry, ...alerts })
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => kebab(name));
    expect(classes.length).toBeGreaterThanOrEqual(OTELKIT_ERROR_CLASS_FILES.size);
    expect(new Set(classes)).toEqual(OTELKIT_ERROR_CLASS_FILES);
  });

  it("puts otelkit's export path under export", () => {
    expect(place(here('../../export/span-encoder.ts')).group).toBe('export');
    expect(place(installed('otelkit/dist/export/sender.js')).group).toBe('export');
    expect(place(installed('otelkit/dist/setup/export-failures.js')).group).toBe('otelkit');
  });

  it('splits the OpenTelemetry packages into spans, metrics, logs and export', () => {
    expect(place(installed('@opentelemetry/sdk-trace/dist/Tracer.mjs')).group).toBe('SDK spans');
    expect(place(installed('@opentelemetry/sdk-trace-base/build/src/Span.js')).group).toBe(
      'SDK spans',
    );
    expect(place(installed('@opentelemetry/core/dist/common/attributes.mjs')).group).toBe(
      'SDK spans',
    );
    expect(place(installed('@opentelemetry/api/dist/context/context.mjs')).group).toBe('SDK spans');
    expect(place(installed('@opentelemetry/sdk-metrics/dist/utils.mjs')).group).toBe('SDK metrics');
    expect(place(installed('@opentelemetry/api/dist/metrics/NoopMeter.mjs')).group).toBe(
      'SDK metrics',
    );
    expect(place(installed('@opentelemetry/sdk-logs/dist/LogRecord.mjs')).group).toBe('SDK logs');
    expect(place(installed('@opentelemetry/api-logs/build/src/index.js')).group).toBe('SDK logs');
    expect(place(installed('@opentelemetry/exporter-trace-otlp-proto/build/a.js')).group).toBe(
      'export',
    );
    expect(place(installed('@opentelemetry/otlp-transformer/dist/common/x.mjs')).group).toBe(
      'export',
    );
  });

  it('recognises the web frameworks and the packages they are made of', () => {
    for (const path of [
      'fastify/lib/route.js',
      '@fastify/error/index.js',
      'find-my-way/index.js',
      'express/lib/application.js',
      'router/index.js',
      'hono/dist/hono-base.js',
      '@hono/node-server/dist/index.mjs',
    ]) {
      expect(place(installed(path)).group, path).toBe('framework');
    }
  });

  it('counts other installed packages as other, named by package', () => {
    expect(place(installed('pino/lib/tools.js'))).toEqual({ group: 'other', source: 'pino' });
    expect(place(installed('@scope/lib/index.js'))).toEqual({
      group: 'other',
      source: '@scope/lib',
    });
  });

  it("places the service's own files, found by their own package.json", () => {
    const placed = place(here('test-support/users-app.ts'));
    expect(placed).toEqual({ group: 'service', source: 'profile-fixture-service' });
  });

  it("groups Node's HTTP and networking modules, and leaves its other internals to their caller", () => {
    for (const url of [
      'node:_http_server',
      'node:_http_outgoing',
      'node:net',
      'node:internal/http',
      'node:internal/stream_base_commons',
      'node:internal/deps/undici/undici',
    ]) {
      expect(place(url).group, url).toBe("Node's HTTP and networking");
    }
    expect(place('node:internal/streams/writable')).toEqual({
      group: undefined,
      source: 'Node.js internals',
    });
    expect(place('node:internal/process/task_queues').group).toBeUndefined();
  });

  it('places V8 entries by what they are: GC is busy, idle and (program) are not', () => {
    expect(place('', '(garbage collector)').group).toBe('GC');
    expect(place('', '(idle)').group).toBe('idle');
    expect(place('', '(program)').group).toBe('program');
    expect(place('', 'writeUtf8String')).toEqual({ group: undefined, source: 'unplaced' });
    expect(place('wasm://wasm/0003e0b2').source).toBe('unplaced');
  });
});
