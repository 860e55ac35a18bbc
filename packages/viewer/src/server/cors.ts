import type { IncomingMessage, ServerResponse } from 'node:http';
import { peerOf } from '../receiver/receiver.ts';
import type { Refusal } from '../receiver/refusal-reporter.ts';

/** Answers a CORS preflight, or marks an export from an allowed origin; true when answered. */
export type CorsHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * The origin of `value` (`http://localhost:5173`), or `*` for any.
 * @throws {Error} naming the value when it is not an http(s) origin.
 */
export function parseOrigin(value: string): string {
  if (value === '*') return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname.length > 1) {
    throw new Error(`cors origin "${value}" is not an origin such as http://localhost:5173 (or *)`);
  }
  return url.origin;
}

/**
 * CORS for the OTLP receiver, so that a browser SDK served from one of `origins` can export to
 * it: the preflight is answered and exports from those origins carry
 * `Access-Control-Allow-Origin`. Other origins get no CORS headers, and their preflight a 403
 * that says how to allow them. The API and the page stay same-origin.
 */
export function createCors(
  origins: readonly string[],
  onRefusal?: (refusal: Refusal) => void,
): CorsHandler {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (request, response) => {
    const origin = request.headers.origin;
    if (!origin) return false;
    const ok = any || allowed.has(origin);
    if (request.method === 'OPTIONS') {
      if (!ok) {
        const message = `origin ${origin} may not export here; start otelkit-viewer with --cors ${origin}`;
        onRefusal?.({
          kind: `403 CORS ${origin}`,
          count: 1,
          noun: 'CORS preflight',
          peer: peerOf(request),
          example: `403 ${message}`,
        });
        response.writeHead(403, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Length': Buffer.byteLength(message),
        });
        response.end(message);
        return true;
      }
      response.writeHead(204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers':
          request.headers['access-control-request-headers'] ?? 'Content-Type',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
      response.end();
      return true;
    }
    if (ok) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
    }
    return false;
  };
}
