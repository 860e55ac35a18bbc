import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInThisContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProcessMeasure,
  STOP_METER_EXPRESSION,
  startMeterExpression,
} from './process-meter.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function serve(): Promise<number> {
  const server = createServer((_req, res) => res.end('ok'));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function get(port: number): Promise<void> {
  await (await fetch(`http://127.0.0.1:${port}/`)).text();
}

// The expressions run as the inspector runs them in a profiled process: in its global scope.
describe('the process meter', () => {
  it('counts the requests received on the profiled port only, and the CPU time meanwhile', async () => {
    const [profiled, other] = await Promise.all([serve(), serve()]);
    runInThisContext(startMeterExpression(profiled));
    await get(profiled);
    await get(other);
    await get(profiled);
    const measure = runInThisContext(STOP_METER_EXPRESSION) as ProcessMeasure;
    expect(measure.requests).toBe(2);
    expect(measure.cpuMicros).toBeGreaterThan(0);
    // Stopped: later requests are not counted, and there is nothing left to read.
    await get(profiled);
    expect(runInThisContext(STOP_METER_EXPRESSION)).toBeNull();
  });

  it('measures CPU time without counting requests when given no port', async () => {
    const port = await serve();
    runInThisContext(startMeterExpression(undefined));
    await get(port);
    const measure = runInThisContext(STOP_METER_EXPRESSION) as ProcessMeasure;
    expect(measure.requests).toBe(0);
    expect(measure.cpuMicros).toBeGreaterThan(0);
  });
});
