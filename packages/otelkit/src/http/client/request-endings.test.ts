import { once } from 'node:events';
import { createServer, get as httpGet, type IncomingMessage, type Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../export/test-support/closed-port.ts';
import { close, listen } from '../../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { traceHttpClients } from './index.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Waits for `check` to pass, collecting garbage between tries when asked; bounded, so a hang fails. */
async function until<T>(check: () => T, { gc = false } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return check();
    } catch (error) {
      if (attempt >= 400) throw error;
      if (gc) collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** `http.get` resolving with the response as soon as its headers arrive. */
function responseOf(url: string, signal?: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    httpGet(url, { signal }, resolve).on('error', reject);
  });
}

let telemetry: TestTelemetry;
let untrace: () => void;
let server: Server;
let url: string;
/** Responses the server holds open: destroyed after each test. */
const held: IncomingMessage[] = [];

const ended = (): ReadableSpan => {
  const spans = telemetry.spans().filter((s) => s.kind === SpanKind.CLIENT);
  expect(spans).toHaveLength(1);
  return spans[0]!;
};

beforeEach(async () => {
  telemetry = createTestTelemetry();
  untrace = traceHttpClients();
  server = createServer((req, res) => {
    if (req.url === '/unavailable') {
      res.statusCode = 503;
      res.end('try later');
    } else if (req.url === '/never') {
      held.push(req);
    } else if (req.url === '/endless') {
      // Headers and more body than a client buffers, then nothing: only reading or cancelling ends it.
      res.write(Buffer.alloc(1 << 20));
      held.push(req);
    } else if (req.url === '/closing') {
      res.setHeader('connection', 'close');
      res.end('complete, and the connection goes');
    } else {
      res.end('ok');
    }
  });
  url = await listen(server);
});

afterEach(async () => {
  untrace();
  for (const req of held.splice(0)) req.socket.destroy();
  await close(server);
  await telemetry.shutdown();
});

describe.each([
  ['fetch', async (target: string) => (await fetch(target)).text()],
  [
    'http.request',
    async (target: string) => {
      const res = await responseOf(target);
      res.resume();
      await once(res, 'end');
    },
  ],
])('%s', (_, call) => {
  it('marks a 503 as error.type "503" with ERROR status, when the body is read', async () => {
    await call(`${url}/unavailable`);
    const span = await until(ended);
    expect(span.attributes['http.response.status_code']).toBe(503);
    expect(span.attributes['error.type']).toBe('503');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events).toEqual([]);
  });

  it('marks a refused connection with error.type ECONNREFUSED and the exception', async () => {
    const port = await closedPort();
    await expect(call(`http://127.0.0.1:${port}/x`)).rejects.toThrow();
    const span = await until(ended);
    expect(span.attributes['error.type']).toBe('ECONNREFUSED');
    expect(span.attributes['http.response.status_code']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    const metric = await telemetry.findMetric('http.client.request.duration');
    expect(metric?.dataPoints.map((p) => p.attributes)).toEqual([
      {
        'http.request.method': 'GET',
        'server.address': '127.0.0.1',
        'server.port': port,
        'error.type': 'ECONNREFUSED',
      },
    ]);
  });
});

describe('a request the caller gives up on ends its span without an error', () => {
  it('fetch aborted through its signal', async () => {
    const controller = new AbortController();
    const pending = fetch(`${url}/never`, { signal: controller.signal });
    await until(() => expect(held).toHaveLength(1));
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const span = await until(ended);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.events).toEqual([]);
  });

  it('http.request aborted through its signal', async () => {
    const controller = new AbortController();
    const pending = responseOf(`${url}/never`, controller.signal);
    await until(() => expect(held).toHaveLength(1));
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const span = await until(ended);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBeUndefined();
  });

  it('http.request destroyed by the caller', async () => {
    const req = httpGet(`${url}/never`);
    const failed = once(req, 'error');
    await until(() => expect(held).toHaveLength(1));
    req.destroy();
    await failed;
    const span = await until(ended);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBeUndefined();
  });

  it('fetch whose body the caller cancels', async () => {
    const response = await fetch(`${url}/endless`);
    await response.body!.cancel();
    const span = await until(ended);
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBeUndefined();
  });

  it('http.request whose response the caller destroys', async () => {
    const response = await responseOf(`${url}/endless`);
    response.destroy();
    const span = await until(ended);
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('fetch aborted by AbortSignal.timeout is a timeout, and an error', async () => {
    await expect(fetch(`${url}/never`, { signal: AbortSignal.timeout(1) })).rejects.toThrow();
    const span = await until(ended);
    expect(span.attributes['error.type']).toBe('TimeoutError');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('a response nobody reads', () => {
  it('keeps its span open while the body is unread', async () => {
    const response = await fetch(`${url}/endless`);
    // The server answered, and the span has its status, but the body is not consumed.
    await until(() => expect(held).toHaveLength(1));
    expect(telemetry.spans()).toEqual([]);
    await response.body!.cancel();
    await until(ended);
  });

  it('ends the span of fetch when the response is garbage-collected', async () => {
    await (async () => {
      await fetch(`${url}/endless`);
    })();
    const span = await until(ended, { gc: true });
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('ends the span of http.request when the response is garbage-collected', async () => {
    await (async () => {
      const response = await responseOf(`${url}/closing`);
      // The server has closed the connection: only this response still holds the request.
      await once(response.socket, 'close');
    })();
    const span = await until(ended, { gc: true });
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it.each([
    ['fetch', (target: string) => fetch(target)],
    ['http.request', (target: string) => responseOf(target)],
  ])(
    'ends the span of %s after maxClientSpanMs while the response is still held',
    async (_, call) => {
      untrace();
      untrace = traceHttpClients({ maxClientSpanMs: 50 });
      const response = await call(`${url}/endless`);
      const span = await until(ended);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      // Still held, its body unread, the server still sending: only the deadline ended the span.
      expect(held).toHaveLength(1);
      expect(held[0]!.socket.destroyed).toBe(false);
      if (response instanceof Response) await response.body?.cancel();
      else response.destroy();
    },
  );
});

it('ends the spans still open when uninstalled', async () => {
  const response = await fetch(`${url}/endless`);
  expect(telemetry.spans()).toEqual([]);
  untrace();
  expect(ended().attributes['http.response.status_code']).toBe(200);
  await response.body!.cancel();
});
