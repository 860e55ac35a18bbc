import { redactQuery } from '../redact-query.ts';
import { parseHost } from '../request-facts.ts';

/** Where an outgoing request goes: what names its `server.*` attributes and its URL. */
export interface OutgoingTarget {
  /** `https://api.example.com`: the default port left out, as `URL.origin` does. */
  readonly origin: string;
  /** `server.address`: the host name or IP address, without brackets. */
  readonly address: string;
  /** `server.port`: explicit or the scheme's default; `undefined` until the socket tells. */
  readonly port: number | undefined;
}

/** Distinct origins a process talks to are few; the cache only bounds a pathological case. */
const MAX_CACHED_ORIGINS = 256;
const byOrigin = new Map<string, OutgoingTarget>();
// Calls in a row mostly go to one origin: compared before the map is consulted.
let lastOrigin = '';
let lastTarget: OutgoingTarget | undefined;

/** The target of an undici request from its `origin`, parsed once per origin. */
export function targetOfOrigin(origin: string): OutgoingTarget | undefined {
  if (origin === lastOrigin) return lastTarget;
  const cached = byOrigin.get(origin) ?? parseOrigin(origin);
  lastOrigin = origin;
  lastTarget = cached;
  return cached;
}

function parseOrigin(origin: string): OutgoingTarget | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  const target: OutgoingTarget = {
    origin: url.origin,
    address: unbracket(url.hostname),
    port: url.port === '' ? defaultPort(url.protocol) : Number(url.port),
  };
  if (byOrigin.size >= MAX_CACHED_ORIGINS) byOrigin.clear();
  byOrigin.set(origin, target);
  return target;
}

/**
 * The target of a `node:http` request from its `protocol`, `host` and `Host`
 * header. `ClientRequest` does not expose the port, but Node writes it into
 * the `Host` header it sets; a `Host` header of the caller's naming another
 * host leaves the port to the socket.
 */
export function targetOfHost(
  protocol: string,
  host: string,
  hostHeader: string | undefined,
): OutgoingTarget {
  if (protocol === lastHost.protocol && host === lastHost.host && hostHeader === lastHost.header) {
    return lastHost.target;
  }
  const target = targetFromHost(protocol, host, hostHeader);
  lastHost = { protocol, host, header: hostHeader, target };
  return target;
}

// The last `node:http` target, for calls in a row to one host.
let lastHost: {
  protocol: string;
  host: string;
  header: string | undefined;
  target: OutgoingTarget;
} = { protocol: '', host: '', header: undefined, target: { origin: '', address: '', port: 0 } };

function targetFromHost(
  protocol: string,
  host: string,
  hostHeader: string | undefined,
): OutgoingTarget {
  const address = unbracket(host);
  let port: number | undefined;
  if (hostHeader === undefined) {
    port = defaultPort(protocol);
  } else {
    const named = parseHost(hostHeader);
    if (unbracket(named.address).toLowerCase() === address.toLowerCase()) {
      port = named.port ?? defaultPort(protocol);
    }
  }
  const hostPart = address.includes(':') ? `[${address}]` : address;
  const portPart = port === undefined || port === defaultPort(protocol) ? '' : `:${port}`;
  return { origin: `${protocol}//${hostPart}${portPart}`, address, port };
}

/** `url.full`: the origin and the request target, sensitive query values `REDACTED`. */
export function fullUrl(origin: string, target: string): string {
  const q = target.indexOf('?');
  if (q === -1) return origin + target;
  return `${origin}${target.slice(0, q + 1)}${redactQuery(target.slice(q + 1))}`;
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
