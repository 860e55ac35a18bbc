import type { IncomingMessage } from 'node:http';

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True when `host` (the address the viewer listens on) is a loopback address or name. */
export function isLoopback(host: string): boolean {
  return loopbackNames.has(host) || host === '::1' || host.startsWith('127.');
}

/**
 * A page on another site can reach a viewer on 127.0.0.1 through a DNS name that it rebinds to
 * 127.0.0.1; the Host header then names that site. On a loopback viewer the API and the page
 * answer only requests addressed to a loopback name.
 */
export function isHostAllowed(request: IncomingMessage): boolean {
  const host = request.headers.host;
  if (!host) return false;
  const hostname = host.startsWith('[')
    ? host.slice(0, host.indexOf(']') + 1)
    : host.split(':')[0]!;
  return isLoopback(hostname.toLowerCase());
}
