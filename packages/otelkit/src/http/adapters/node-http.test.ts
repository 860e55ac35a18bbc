import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { format } from 'node:util';
import { trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { THROWN } from '../../test-support/framework-answers.ts';
import {
  databaseDown,
  describeAdapterContract,
  userBody,
} from '../../test-support/http-adapter-contract.ts';
import { close, eventually, listen, request } from '../../test-support/http-client.ts';
import { createTestTelemetry, type TestTelemetry } from '../../testing/index.ts';
import { instrumentHandler } from './node-http.ts';

const USER = /^\/users\/([^/?]+)/;

function routeOf(req: IncomingMessage): string | undefined {
  const path = (req.url ?? '').split('?')[0]!;
  if (USER.test(path)) return '/users/:id';
  return ['/boom', '/reject', '/healthz', '/echo'].includes(path) ? path : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0]!;
  const user = USER.exec(path);
  if (user) return send(res, 200, userBody(user[1]!));
  if (path === '/boom') throw databaseDown();
  if (path === '/reject') {
    await Promise.resolve();
    throw databaseDown();
  }
  if (path === '/healthz') return send(res, 200, 'ok');
  if (path === '/echo') {
    // Callback-style body reading: the span must stay active in the listeners.
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const traced = trace.getActiveSpan() !== undefined;
      send(res, 200, { size: Object.keys(JSON.parse(text)).length, traced });
    });
    return;
  }
  send(res, 404, { error: 'Not Found' });
}

/** What the process prints with `console.error` while `server` runs, until it closes. */
function printedBy(server: Parameters<typeof close>[0]) {
  const lines: string[] = [];
  const print = vi
    .spyOn(console, 'error')
    .mockImplementation((...args) => void lines.push(format(...args)));
  return {
    lines,
    close: () => {
      print.mockRestore();
      return close(server);
    },
  };
}

// Printed as Node prints an error nobody caught: not through a logger, not correlated.
describeAdapterContract(
  'node:http',
  async (options) => {
    const server = createServer(instrumentHandler(handler, { ...options, route: routeOf }));
    const printed = printedBy(server);
    const url = await listen(server);
    return { url, errorLines: printed.lines, close: printed.close };
  },
  { correlatedErrorLog: false, unrecovered: 'process-rejection' },
);

describe('node:http: answers to thrown errors, where no framework gives one', () => {
  let telemetry: TestTelemetry;
  let url: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    telemetry = createTestTelemetry();
    const server = createServer(
      instrumentHandler((req) => {
        throw THROWN[Number(req.url!.split('/')[2])]!.value();
      }),
    );
    const printed = printedBy(server);
    url = await listen(server);
    stop = printed.close;
  });
  afterAll(async () => {
    await stop();
    await telemetry.shutdown();
  });

  it("answers a thrown error's own 4xx with its reason and message, anything else with the safe body", async () => {
    const answers = [];
    for (const index of THROWN.keys()) {
      const response = await request(`${url}/throw/${index}`);
      const body = JSON.parse(response.body) as Record<string, unknown>;
      if (typeof body.traceId === 'string') body.traceId = 'trace id';
      answers.push([THROWN[index]!.name, response.status, body]);
    }
    const safe = (error: string) => ({ error, traceId: 'trace id' });
    expect(answers).toEqual([
      ['an Error with a cause', 500, safe('Internal Server Error')],
      [
        'an error with statusCode 418',
        418,
        { error: "I'm a Teapot", message: 'no coffee here', traceId: 'trace id' },
      ],
      [
        'an error with status 404',
        404,
        { error: 'Not Found', message: 'no such user', traceId: 'trace id' },
      ],
      [
        'an error with status 400 and expose: false',
        400,
        { error: 'Bad Request', traceId: 'trace id' },
      ],
      ['an error with statusCode 503', 503, safe('Service Unavailable')],
      ['an error with status 200', 500, safe('Internal Server Error')],
      ['a string', 500, safe('Internal Server Error')],
      ['a plain object with statusCode 500', 500, safe('Internal Server Error')],
      ['a plain object with a code', 500, safe('Internal Server Error')],
      ['undefined', 500, safe('Internal Server Error')],
    ]);
  });

  it('where a bare node:http server has no answer at all: the error ends the process', async () => {
    const bare = `
      import { createServer } from 'node:http';
      const server = createServer(() => { throw Object.assign(new Error('no coffee here'), { statusCode: 418 }); });
      server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', bare]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [port] = (await once(child.stdout, 'data')) as [Buffer];
    const answer = await request(`http://127.0.0.1:${Number(String(port))}/`).catch(
      (error: Error) => error,
    );
    const [code] = (await once(child, 'exit')) as [number];
    expect(answer).toBeInstanceOf(Error);
    expect(code).toBe(1);
    expect(stderr).toContain('no coffee here');
  });
});

describe('instrumentHandler()', () => {
  let telemetry: TestTelemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  it('names spans by the method alone without a route option', async () => {
    telemetry = createTestTelemetry();
    const server = createServer(instrumentHandler((_req, res) => res.end('ok')));
    const url = await listen(server);
    try {
      await request(`${url}/anything/42`);
      const span = await eventually(() => telemetry!.spans()[0]!);
      expect(span.name).toBe('GET');
      expect(span.attributes['url.path']).toBe('/anything/42');
    } finally {
      await close(server);
    }
  });

  it('names methods outside the conventions _OTHER and the span HTTP', async () => {
    telemetry = createTestTelemetry();
    const server = createServer(instrumentHandler((_req, res) => res.end('ok')));
    const url = await listen(server);
    try {
      await request(url, { method: 'PURGE' });
      const span = await eventually(() => telemetry!.spans()[0]!);
      expect(span.name).toBe('HTTP');
      expect(span.attributes['http.request.method']).toBe('_OTHER');
      expect(span.attributes['http.request.method_original']).toBe('PURGE');
    } finally {
      await close(server);
    }
  });

  it('lets the error take its usual course with recover: false, recorded first', async () => {
    telemetry = createTestTelemetry();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const server = createServer(
      instrumentHandler(
        async (_req, res) => {
          setTimeout(() => res.end('late'), 10);
          throw new Error('not recovered');
        },
        { recover: false },
      ),
    );
    const url = await listen(server);
    try {
      const response = await request(url);
      expect(response.body).toBe('late');
      const span = await eventually(() => telemetry!.spans()[0]!);
      expect(span.events.map((e) => e.name)).toContain('exception');
      await eventually(() => expect(rejections).toHaveLength(1));
    } finally {
      process.off('unhandledRejection', onRejection);
      await close(server);
    }
  });
});
