import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withSpan } from '../trace/with-span.ts';
import { setup } from './setup.ts';
import { isSetupError } from './setup-error.ts';
import type { Telemetry } from './setup-options.ts';

let server: Server;
let url: string;
let telemetry: Telemetry | undefined;
const seen: (string | undefined)[] = [];

beforeEach(async () => {
  seen.length = 0;
  server = createServer((req, res) => {
    seen.push(req.headers.traceparent as string | undefined);
    res.end('ok');
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  server.close();
});

function start(options: Parameters<typeof setup>[0]) {
  const exporter = new InMemorySpanExporter();
  telemetry = setup({ exporter: 'none', traces: { exporter }, ...options });
  return async (): Promise<ReadableSpan[]> => {
    await telemetry!.forceFlush();
    return exporter.getFinishedSpans();
  };
}

describe('setup() and outgoing HTTP', () => {
  it('traces fetch by default: a CLIENT span child of the active span, its context sent along', async () => {
    const spans = start({ service: { name: 'caller' } });
    await withSpan('checkout', async () => {
      await (await fetch(`${url}/stock?item=7`)).text();
    });
    const finished = await spans();
    const parent = finished.find((span) => span.name === 'checkout')!;
    const client = finished.find((span) => span.kind === SpanKind.CLIENT)!;
    expect(client.name).toBe('GET');
    expect(client.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(client.attributes['http.response.status_code']).toBe(200);
    expect(seen[0]).toContain(client.spanContext().spanId);
    expect(telemetry!.config.httpClient).toBe(true);
  });

  it('leaves outgoing calls alone with httpClient: false', async () => {
    const spans = start({ httpClient: false });
    await trace.getTracer('t').startActiveSpan('checkout', async (span) => {
      await (await fetch(url)).text();
      span.end();
    });
    expect((await spans()).map((span) => span.kind)).toEqual([SpanKind.INTERNAL]);
    expect(seen).toEqual([undefined]);
    expect(telemetry!.config.httpClient).toBe(false);
  });

  it('takes the options of traceHttpClients, and refuses a bad one naming it', async () => {
    const spans = start({ httpClient: { ignore: [url] } });
    await (await fetch(url)).text();
    expect(await spans()).toEqual([]);
    await telemetry!.shutdown();
    telemetry = undefined;

    let thrown: unknown;
    try {
      setup({ httpClient: { maxClientSpanMs: -1 } });
    } catch (error) {
      thrown = error;
    }
    expect(isSetupError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('httpClient');
    expect((thrown as Error).message).toContain('maxClientSpanMs');
  });

  it('stops tracing outgoing calls once shut down', async () => {
    const spans = start({});
    await telemetry!.shutdown();
    const finishedBefore = (await spans()).length;
    await (await fetch(url)).text();
    expect(seen).toEqual([undefined]);
    expect(finishedBefore).toBe(0);
  });
});
