import { afterEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/index.ts';
import { jsonSpan, jsonTraceRequest } from './otlp-requests.ts';
import { send, startTestViewer } from './support.ts';

let viewer: Viewer | undefined;
afterEach(() => viewer?.close());

const app = 'http://localhost:5173';
const preflight = (origin: string, path = '/v1/traces') =>
  send(`${viewer!.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type, x-tenant',
    },
  });
const exportFrom = (origin: string) =>
  send(`${viewer!.url}/v1/traces`, {
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify(jsonTraceRequest([jsonSpan()])),
  });

describe('CORS for browser SDKs exporting to the receiver', () => {
  it('answers the preflight of an allowed origin and marks its exports', async () => {
    viewer = await startTestViewer({ cors: [app] });
    const answer = await preflight(app);
    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': app,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type, x-tenant',
      vary: 'Origin',
    });
    const exported = await exportFrom(app);
    expect(exported.status).toBe(200);
    expect(exported.headers['access-control-allow-origin']).toBe(app);
  });

  it('refuses the preflight of another origin, saying how to allow it', async () => {
    viewer = await startTestViewer({ cors: [app] });
    const answer = await preflight('http://evil.example');
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.body.toString()).toContain('--cors http://evil.example');
    const exported = await exportFrom('http://evil.example');
    expect(exported.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows no origin by default, and any with *', async () => {
    viewer = await startTestViewer();
    expect((await preflight(app)).status).toBe(403);
    expect((await exportFrom(app)).headers['access-control-allow-origin']).toBeUndefined();
    await viewer.close();
    viewer = await startTestViewer({ cors: ['*'] });
    expect(
      (await preflight('http://anything.test:8080')).headers['access-control-allow-origin'],
    ).toBe('http://anything.test:8080');
  });

  it('leaves the API and the page same-origin', async () => {
    viewer = await startTestViewer({ cors: [app] });
    const api = await send(`${viewer.url}/api/traces`, { method: 'GET', headers: { Origin: app } });
    expect(api.status).toBe(200);
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a value that is not an origin, naming it', async () => {
    await expect(startTestViewer({ cors: ['localhost:5173'] })).rejects.toThrow(
      'cors origin "localhost:5173" is not an origin',
    );
    await expect(startTestViewer({ cors: ['http://localhost:5173/app'] })).rejects.toThrow(
      '"http://localhost:5173/app"',
    );
  });
});
