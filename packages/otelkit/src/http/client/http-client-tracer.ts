import {
  type Attributes,
  context,
  propagation,
  SpanKind,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
} from '@opentelemetry/semantic-conventions';
import { wallTimeAt } from '../../internal/clock.ts';
import { defaultTracer } from '../../trace/default-tracer.ts';
import { normalizeMethod } from '../request-method.ts';
import type { ClientSettings } from './client-settings.ts';
import { ClientSpan } from './client-span.ts';
import { fullUrl, type OutgoingTarget } from './outgoing-target.ts';
import { ResendTracker } from './resend-tracker.ts';
import { SpanDeadlines } from './span-deadlines.ts';
import { isTracingSuppressed } from './tracing-suppressed.ts';

/** Values longer than this are cut before they become attributes, as on the server. */
const MAX_VALUE_LENGTH = 2048;

/** How the tracer reads and adds the headers of one client's request objects. */
export interface HeaderAccess<Carrier> extends TextMapSetter<Carrier> {
  /** The header's value (or values), `undefined` when the request has none. */
  get(carrier: Carrier, name: string): string | readonly string[] | undefined;
  /** Adds the header, unless the request has it already or can take no more headers. */
  set(carrier: Carrier, name: string, value: string): void;
}

/**
 * The client half of the HTTP core: what `fetch`, undici and `node:http` share.
 * It decides whether a request gets a span, starts it with its attributes in
 * the caller's context, adds the trace headers, and keeps the open spans so
 * that uninstalling ends them.
 */
export class HttpClientTracer {
  settings: ClientSettings;
  readonly resends = new ResendTracker();
  private readonly open = new SpanDeadlines<ClientSpan>();

  constructor(settings: ClientSettings) {
    this.settings = settings;
  }

  /**
   * Starts the span of a request to `target` for `path` (the request target:
   * path and query), or returns `undefined` for a request to leave alone:
   * made where tracing is suppressed, ignored by the options, or carrying a
   * `traceparent` already (its trace context, and its span, belong to the
   * caller or to another instrumentation).
   */
  start<Carrier>(
    method: string,
    target: OutgoingTarget,
    path: string,
    carrier: Carrier,
    access: HeaderAccess<Carrier>,
  ): ClientSpan | undefined {
    const parent = context.active();
    if (isTracingSuppressed(parent)) return undefined;
    if (access.get(carrier, 'traceparent') !== undefined) return undefined;
    const settings = this.settings;
    const url = target.origin + path;
    if (settings.ignoresAny && settings.isIgnored(method, target.origin, path, url)) {
      return undefined;
    }
    const normalized = normalizeMethod(method);
    // Literal keys keep the object on V8's fast path (computed ones do not).
    // The SDK leaves out `server.port` while it is undefined (a Host header of the caller's).
    const attributes: Attributes = {
      'http.request.method': normalized,
      'server.address': target.address,
      'server.port': target.port,
      'url.full': clip(path.includes('?') ? fullUrl(target.origin, path) : url),
    };
    if (normalized === '_OTHER') attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = clip(method);
    for (const header of settings.captured) {
      const value = access.get(carrier, header.name);
      if (value === undefined) continue;
      attributes[header.attribute] = typeof value === 'string' ? [clip(value)] : value.map(clip);
    }
    const resendCount = this.resends.waiting ? this.resends.take(url, parent) : 0;
    if (resendCount > 0) attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = resendCount;
    const started = performance.now();
    const startTime = wallTimeAt(started);
    const span = defaultTracer().startSpan(
      normalized === '_OTHER' ? 'HTTP' : normalized,
      { kind: SpanKind.CLIENT, attributes, startTime },
      parent,
    );
    try {
      propagation.inject(trace.setSpan(parent, span), carrier, access);
    } catch {
      // A propagator that throws leaves the request without trace headers, still traced.
    }
    return new ClientSpan(
      span,
      {
        method: normalized,
        address: target.address,
        port: target.port,
        url,
        parent,
        resendCount,
        startTime,
        started,
      },
      settings.maxClientSpanMs,
      this.open,
    );
  }

  /** A redirect answered `span`'s request: the request that follows it is a resend. */
  redirected(span: ClientSpan, location: string): void {
    this.resends.redirected(span.url, location, span.parent, span.resendCount);
  }

  /** Ends every open span: the channels report nothing more once they are left. */
  endAll(): void {
    this.open.endAll();
  }
}

function clip(value: string): string {
  return value.length > MAX_VALUE_LENGTH ? value.slice(0, MAX_VALUE_LENGTH) : value;
}
