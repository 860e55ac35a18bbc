import type { TextMapGetter } from '@opentelemetry/api';

/**
 * What an adapter tells the core about an incoming request, read once from the
 * framework's request object. Header lookups go through `getter`, so the same
 * core serves Node's header objects and the web `Headers`.
 */
export interface RequestFacts<Carrier = unknown> {
  /** The method as received. */
  readonly method: string;
  /** The path, without the query, still percent-encoded. */
  readonly path: string;
  /** The query, without `?`; `undefined` when the target had none. */
  readonly query: string | undefined;
  /** `http` or `https`. */
  readonly scheme: string;
  /** The `Host` header (or `:authority`), which gives `server.address` and `server.port`. */
  readonly host: string | undefined;
  /** The peer's address. */
  readonly clientAddress: string | undefined;
  /** `1.1`, `2`… */
  readonly protocolVersion: string | undefined;
  readonly userAgent: string | undefined;
  /** The request's `content-length`, as received. */
  readonly contentLength: string | undefined;
  /** The headers, for propagation and capture. */
  readonly carrier: Carrier;
  readonly getter: TextMapGetter<Carrier>;
}

/** `server.address` and `server.port` from a `Host` header (`example.com:8080`, `[::1]:80`). */
export function parseHost(host: string): { address: string; port: number | undefined } {
  const close = host.startsWith('[') ? host.indexOf(']') : -1;
  const colon = host.lastIndexOf(':');
  if (colon === -1 || colon < close) return { address: host, port: undefined };
  const port = Number(host.slice(colon + 1));
  const address = host.slice(0, colon);
  return Number.isInteger(port) && port > 0 && port < 65536
    ? { address, port }
    : { address, port: undefined };
}

/** A non-negative byte count from a `content-length` value, or `undefined`. */
export function parseContentLength(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || value === '' || value.length > 15) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
