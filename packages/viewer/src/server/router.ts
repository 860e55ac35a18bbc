import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiHandler } from '../api/api.ts';
import type { OtlpHandler } from '../receiver/receiver.ts';
import type { UiHandler } from '../ui/assets.ts';
import type { CorsHandler } from './cors.ts';
import { isHostAllowed } from './host-check.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { sendJson } from './send.ts';

/** What the router dispatches to. */
export interface RouterOptions {
  receiver: OtlpHandler;
  api: ApiHandler;
  ui: UiHandler;
  /** CORS for the receiver (browser SDKs exporting from allowed origins). */
  cors: CorsHandler;
  /** Answer the API and the page only for loopback Host names (see `host-check.ts`). */
  loopbackOnly: boolean;
  /** Reports an unexpected failure while answering. */
  onError: (error: unknown) => void;
}

const otlpPaths: Record<string, 'traces' | 'logs' | 'metrics' | undefined> = {
  '/v1/traces': 'traces',
  '/v1/logs': 'logs',
  '/v1/metrics': 'metrics',
};

/** The viewer's request listener: OTLP receiver, JSON API and page on one port. */
export function createRouter(options: RouterOptions) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    setSecurityHeaders(response);
    try {
      const url = new URL(request.url ?? '/', 'http://viewer.invalid');
      const signal = otlpPaths[url.pathname];
      if (signal) {
        if (options.cors(request, response)) return;
        void options.receiver(signal, request, response);
        return;
      }
      if (options.loopbackOnly && !isHostAllowed(request)) {
        sendJson(response, 403, { error: 'this viewer answers only requests to a loopback host' });
        return;
      }
      if (options.api(request, response, url) || options.ui(request, response, url)) return;
      sendJson(response, 404, { error: `not found: ${url.pathname}` });
    } catch (error) {
      options.onError(error);
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    }
  };
}
