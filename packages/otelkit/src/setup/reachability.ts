import { connect } from 'node:net';
import { UNREACHABLE } from '../export/attempt-result.ts';

/**
 * Why nobody can be reached at `url`'s host and port (`connection refused`,
 * `host not found`, …), by opening a TCP connection and closing it at once.
 * `undefined` when the connection opened, or when the answer takes longer
 * than `timeoutMs`: the exporter then finds out by itself.
 */
export function unreachableReason(url: string, timeoutMs = 1000): Promise<string | undefined> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({
      host: hostname.replace(/^\[|\]$/g, ''),
      port: Number(port || (protocol === 'https:' ? 443 : 80)),
    });
    const done = (reason: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    timer.unref();
    socket.unref();
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(UNREACHABLE.get(error.code ?? '')));
  });
}
