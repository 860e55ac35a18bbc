import { type CapturedHeader, compileCapturedHeaders } from '../capture-headers.ts';
import {
  DEFAULT_MAX_CLIENT_SPAN_MS,
  type HttpClientOptions,
  type OutgoingRequestCandidate,
} from './http-client-options.ts';

/** The longest delay `setTimeout` honours; Node fires longer ones after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * `HttpClientOptions` checked and compiled once per installation. Bad values
 * throw a `TypeError` or `RangeError` naming the option and the value.
 */
export class ClientSettings {
  readonly captured: readonly CapturedHeader[];
  readonly maxClientSpanMs: number;
  /** Whether `isIgnored` can say yes at all: most installations ignore nothing. */
  readonly ignoresAny: boolean;
  private readonly ignoredOrigins: ReadonlySet<string>;
  private readonly ignoredPaths: ReadonlySet<string>;
  private readonly ignoredPatterns: readonly RegExp[];
  private readonly ignorePredicate: ((request: OutgoingRequestCandidate) => boolean) | undefined;

  constructor(options: HttpClientOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`traceHttpClients: options must be an object, got ${describe(options)}`);
    }
    this.maxClientSpanMs = checkMaxSpan(options.maxClientSpanMs);
    this.captured = compileCapturedHeaders(checkHeaderNames(options.captureHeaders));
    const ignore = options.ignore;
    const origins = new Set<string>();
    const paths = new Set<string>();
    const patterns: RegExp[] = [];
    if (typeof ignore === 'function') {
      this.ignorePredicate = ignore;
    } else if (ignore !== undefined) {
      if (!Array.isArray(ignore)) {
        throw new TypeError(
          `traceHttpClients: ignore must be an array or a function, got ${describe(ignore)}`,
        );
      }
      for (const rule of ignore as readonly unknown[]) {
        if (rule instanceof RegExp) patterns.push(rule);
        else if (typeof rule === 'string' && rule.startsWith('/')) paths.add(rule);
        else origins.add(checkOrigin(rule));
      }
    }
    this.ignoredOrigins = origins;
    this.ignoredPaths = paths;
    this.ignoredPatterns = patterns;
    this.ignoresAny =
      this.ignorePredicate !== undefined || origins.size + paths.size + patterns.length > 0;
  }

  /** Whether `ignore` excludes this request; `url` is `origin` followed by `target`. */
  isIgnored(method: string, origin: string, target: string, url: string): boolean {
    if (!this.ignoresAny) return false;
    const query = target.indexOf('?');
    const path = query === -1 ? target : target.slice(0, query);
    if (this.ignoredOrigins.has(origin) || this.ignoredPaths.has(path)) return true;
    for (const pattern of this.ignoredPatterns) {
      pattern.lastIndex = 0;
      if (pattern.test(url)) return true;
    }
    if (this.ignorePredicate === undefined) return false;
    try {
      return this.ignorePredicate({ method, path, url }) === true;
    } catch {
      return false;
    }
  }
}

function checkMaxSpan(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_CLIENT_SPAN_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new RangeError(
      `traceHttpClients: maxClientSpanMs must be a number of milliseconds above 0 and at most ${MAX_TIMER_MS}, got ${describe(value)}`,
    );
  }
  return value;
}

function checkHeaderNames(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) {
    throw new TypeError(
      `traceHttpClients: captureHeaders must be an array of header names, got ${describe(value)}`,
    );
  }
  return value;
}

function checkOrigin(rule: unknown): string {
  if (typeof rule === 'string') {
    try {
      const url = new URL(rule);
      // Only a bare origin: anything after it would silently never match.
      const bare = url.pathname === '/' && url.search === '' && url.hash === '';
      const plain = url.username === '' && url.password === '';
      if ((url.protocol === 'http:' || url.protocol === 'https:') && bare && plain) {
        return url.origin;
      }
    } catch {
      // Reported below with the value.
    }
  }
  throw new TypeError(
    `traceHttpClients: each ignore rule must be an origin like 'https://api.example.com', a path starting with '/', or a RegExp, got ${describe(rule)}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return 'an object';
    }
  }
  return String(value);
}
