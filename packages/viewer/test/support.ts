import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { startViewer } from '../src/index.ts';
import type { Viewer, ViewerOptions } from '../src/viewer-options.ts';

/** A viewer on a free loopback port with an in-memory database; close it in `afterEach`. */
export function startTestViewer(options: ViewerOptions = {}): Promise<Viewer> {
  return startViewer({
    port: 0,
    db: ':memory:',
    onError: () => {},
    onRefusal: () => {},
    ...options,
  });
}

/** A raw HTTP answer. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request with a buffered body (fetch would add its own headers and encodings). */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GETs a JSON document from the viewer's API. */
export async function getJson<T = Record<string, unknown>>(
  viewer: Viewer,
  path: string,
): Promise<T> {
  const response = await fetch(`${viewer.url}${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
