import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { requestId } from '../context/context-key.ts';
import { wallTimeAt } from '../internal/clock.ts';
import { defaultTracer } from '../trace/default-tracer.ts';
import { type CapturedHeader, compileCapturedHeaders } from './capture-headers.ts';
import type { IgnoreCandidate, OtelkitMiddlewareOptions } from './http-server-options.ts';
import { redactQuery } from './redact-query.ts';
import { parseContentLength, parseHost, type RequestFacts } from './request-facts.ts';
import { resolveRequestId } from './request-id.ts';
import { normalizeMethod } from './request-method.ts';
import { instrumentedRequest } from './sdk-context-keys.ts';
import { type RequestEndSettings, ServerRequest, spanName } from './server-request.ts';

/** User-controlled strings longer than this are cut before they become attributes. */
const MAX_VALUE_LENGTH = 2048;

/**
 * The one HTTP server core behind every adapter: built once per server from
 * the options, it starts a `ServerRequest` per request (or none, for ignored
 * ones). It never throws: when telemetry fails, the request is served untraced.
 */
export class HttpServerTelemetry {
  /** Whether thrown errors get the safe answer. */
  readonly recover: boolean;
  /** The request id header, lower case. */
  readonly requestIdHeader: string;
  private readonly captured: readonly CapturedHeader[];
  private readonly endSettings: RequestEndSettings;
  private readonly ignoredPaths: ReadonlySet<string>;
  private readonly ignoredPatterns: readonly RegExp[];
  private readonly ignorePredicate: ((request: IgnoreCandidate) => boolean) | undefined;

  constructor(options: OtelkitMiddlewareOptions = {}) {
    this.recover = options.recover ?? true;
    this.requestIdHeader = (options.requestIdHeader ?? 'x-request-id').toLowerCase();
    this.captured = compileCapturedHeaders(options.captureHeaders);
    const targets = Object.entries(options.sla ?? {}).filter(
      ([, ms]) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0,
    );
    this.endSettings = { sla: targets.length === 0 ? undefined : new Map(targets) };
    const ignore = options.ignore;
    this.ignorePredicate = typeof ignore === 'function' ? ignore : undefined;
    const rules = Array.isArray(ignore) ? (ignore as readonly (string | RegExp)[]) : [];
    this.ignoredPaths = new Set(rules.filter((r): r is string => typeof r === 'string'));
    this.ignoredPatterns = rules.filter((r): r is RegExp => r instanceof RegExp);
  }

  /** Whether the `ignore` option excludes this request. A throwing predicate excludes nothing. */
  isIgnored(method: string, path: string): boolean {
    if (this.ignoredPaths.has(path)) return true;
    for (const pattern of this.ignoredPatterns) {
      pattern.lastIndex = 0;
      if (pattern.test(path)) return true;
    }
    if (this.ignorePredicate === undefined) return false;
    try {
      return this.ignorePredicate({ method, path }) === true;
    } catch {
      return false;
    }
  }

  /**
   * Starts telemetry for a request: continues its `traceparent`, or enriches
   * the span of `@opentelemetry/instrumentation-http` when that one is active
   * for this request. `route` is the template when the framework knows it
   * already. `undefined` for ignored requests.
   */
  start<Carrier>(facts: RequestFacts<Carrier>, routeTemplate?: string): ServerRequest | undefined {
    try {
      const route = routeTemplate || undefined;
      if (this.isIgnored(facts.method, facts.path)) return undefined;
      const id = resolveRequestId(facts.getter.get(facts.carrier, this.requestIdHeader));
      const method = normalizeMethod(facts.method);
      const bytesIn = parseContentLength(facts.contentLength);
      const attributes = this.startAttributes(facts, method, id, bytesIn, route);
      const started = performance.now();
      const startTime = wallTimeAt(started);
      const active = context.active();
      const instrumented = instrumentedRequest(active);
      let ctx = active;
      let span = instrumented?.span;
      if (span !== undefined) {
        span.setAttributes(attributes);
      } else {
        const parent = propagation.extract(ROOT_CONTEXT, facts.carrier, facts.getter);
        span = defaultTracer().startSpan(
          spanName(method, route),
          { kind: SpanKind.SERVER, attributes, startTime },
          parent,
        );
        ctx = trace.setSpan(parent, span);
      }
      return new ServerRequest(
        span,
        requestId.set(ctx, id),
        { requestId: id, method, scheme: facts.scheme, bytesIn, route },
        instrumented,
        this.endSettings,
        startTime,
        started,
      );
    } catch {
      return undefined;
    }
  }

  private startAttributes<Carrier>(
    facts: RequestFacts<Carrier>,
    method: string,
    id: string,
    bytesIn: number | undefined,
    route: string | undefined,
  ): Attributes {
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_URL_PATH]: clip(facts.path),
      [ATTR_URL_SCHEME]: facts.scheme,
      'request.id': id,
    };
    if (method === '_OTHER') attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = clip(facts.method);
    if (facts.query !== undefined) attributes[ATTR_URL_QUERY] = clip(redactQuery(facts.query));
    if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
    if (facts.host) {
      const { address, port } = parseHost(facts.host);
      attributes[ATTR_SERVER_ADDRESS] = clip(address);
      if (port !== undefined) attributes[ATTR_SERVER_PORT] = port;
    }
    if (facts.clientAddress) attributes[ATTR_CLIENT_ADDRESS] = facts.clientAddress;
    if (facts.userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = clip(facts.userAgent);
    if (facts.protocolVersion) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = facts.protocolVersion;
    if (bytesIn !== undefined) attributes['http.request.body.size'] = bytesIn;
    for (const header of this.captured) {
      const value = facts.getter.get(facts.carrier, header.name);
      if (value === undefined) continue;
      attributes[header.attribute] = Array.isArray(value) ? value.map(clip) : [clip(value)];
    }
    return attributes;
  }
}

function clip(value: string): string {
  return value.length > MAX_VALUE_LENGTH ? value.slice(0, MAX_VALUE_LENGTH) : value;
}
