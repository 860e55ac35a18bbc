import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Handles the page and its assets; returns false when the path is not one of them. */
export type UiHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;

// This file is `src/ui/assets.ts` or `dist/ui/assets.js`: the package root is two levels up.
const packageRoot = new URL('../../', import.meta.url);

const staticFiles: Record<string, { file: string; type: string } | undefined> = {
  '/': { file: 'src/ui/static/index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'src/ui/static/index.html', type: 'text/html; charset=utf-8' },
  '/assets/style.css': { file: 'src/ui/static/style.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'src/ui/static/favicon.svg', type: 'image/svg+xml' },
};

// The browser code is compiled by `tsconfig.ui.json` into dist/ui/app.
const scriptPath = /^\/assets\/([a-z0-9-]+)\.js$/;

/** Serves the viewer's page, stylesheet and compiled browser modules from the package. */
export function createUiHandler(): UiHandler {
  const cache = new Map<string, Promise<Buffer>>();
  const load = (file: string) => {
    let content = cache.get(file);
    if (!content) {
      content = readFile(new URL(file, packageRoot));
      content.catch(() => cache.delete(file));
      cache.set(file, content);
    }
    return content;
  };
  return (request, response, url) => {
    const script = scriptPath.exec(url.pathname);
    const asset = script
      ? { file: `dist/ui/app/${script[1]}.js`, type: 'text/javascript; charset=utf-8' }
      : staticFiles[url.pathname];
    if (!asset) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return true;
    }
    load(asset.file).then(
      (content) => {
        response.writeHead(200, {
          'Content-Type': asset.type,
          'Content-Length': content.length,
          'Cache-Control': 'no-cache',
        });
        response.end(request.method === 'HEAD' ? undefined : content);
      },
      () => {
        const hint = script ? ' (build the viewer: npm run build -w otelkit-viewer)' : '';
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(`not found: ${url.pathname}${hint}`);
      },
    );
    return true;
  };
}
