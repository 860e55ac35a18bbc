import {
  type Attributes,
  type Context,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import { recordError } from '../errors/record-error.ts';
import { endTimeSince } from '../internal/clock.ts';
import { recordServerDuration } from './duration-metric.ts';
import type { HttpRpcMetadata } from './sdk-context-keys.ts';

/** The guide's request data: what one request did, as the span and the metric record it. */
export interface RequestData {
  /** `http.request.method`: the method, or `_OTHER`. */
  readonly method: string;
  /** The route template (`/users/:id`), once known. */
  readonly route: string | undefined;
  /** The response status, once answered. */
  readonly status: number | undefined;
  /** Request body size from `content-length`, when known. */
  readonly bytesIn: number | undefined;
  /** Response body size, when known. */
  readonly bytesOut: number | undefined;
  /** Milliseconds from the start of the request to its end. */
  readonly durationMs: number | undefined;
  /** The id in `x-request-id`, received or generated. */
  readonly requestId: string;
}

/** Where a `ServerRequest` reports its end: the SLA targets of the server. */
export interface RequestEndSettings {
  readonly sla: ReadonlyMap<string, number> | undefined;
}

/**
 * One request in flight: its server span (its own, or the one of
 * `@opentelemetry/instrumentation-http`, which it then enriches), the context
 * the handler runs in, and the request data. Adapters call `setRoute`,
 * `fail` and `end`; `end` is idempotent.
 */
export class ServerRequest implements RequestData {
  readonly span: Span;
  /** The context to run the handler in: the server span and the request id. */
  readonly context: Context;
  readonly requestId: string;
  readonly method: string;
  readonly scheme: string;
  readonly bytesIn: number | undefined;
  route: string | undefined = undefined;
  status: number | undefined = undefined;
  bytesOut: number | undefined = undefined;
  durationMs: number | undefined = undefined;
  /** The error this request failed with, once recorded. */
  error: unknown = undefined;
  private failed = false;
  private ended = false;
  /** The route the span was started with (its name and `http.route` already say it). */
  private readonly routeAtStart: string | undefined;
  /** When the request started, in milliseconds since the epoch (sub-millisecond). */
  private readonly startedAt: number;
  /** The monotonic clock then (`performance.now()`): durations are measured on it. */
  private readonly startedMonotonic: number;
  private readonly instrumented: HttpRpcMetadata | undefined;
  private readonly settings: RequestEndSettings;

  constructor(
    span: Span,
    ctx: Context,
    fields: {
      requestId: string;
      method: string;
      scheme: string;
      bytesIn: number | undefined;
      route: string | undefined;
    },
    instrumented: HttpRpcMetadata | undefined,
    settings: RequestEndSettings,
    startedAt: number,
    startedMonotonic: number,
  ) {
    this.span = span;
    this.context = ctx;
    this.requestId = fields.requestId;
    this.method = fields.method;
    this.scheme = fields.scheme;
    this.bytesIn = fields.bytesIn;
    this.route = fields.route;
    this.routeAtStart = instrumented === undefined ? fields.route : undefined;
    this.instrumented = instrumented;
    // The instrumentation names its span and metric by the route it is given.
    if (instrumented !== undefined && fields.route !== undefined) instrumented.route = fields.route;
    this.settings = settings;
    this.startedAt = startedAt;
    this.startedMonotonic = startedMonotonic;
  }

  /** Whether the span belongs to `@opentelemetry/instrumentation-http` rather than to us. */
  get enriching(): boolean {
    return this.instrumented !== undefined;
  }

  /** The trace id of the server span, for error bodies and logs. */
  get traceId(): string | undefined {
    return traceIdOf(this.span);
  }

  /** Sets the route template once the framework matched it. */
  setRoute(route: string | undefined): void {
    if (route === undefined || route === '') return;
    this.route = route;
    if (this.instrumented) this.instrumented.route = route;
  }

  /** Records the error the handler failed with (once), with its whole cause chain. */
  fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.error = error;
    recordError(error, { span: this.span });
  }

  /**
   * Finishes the request: status, route and sizes on the span, `ERROR` status
   * on 5xx, the SLA verdict, then the span end and the duration metric (both
   * left to `@opentelemetry/instrumentation-http` when it owns the span).
   * `status` is `undefined` when the client went away before any answer.
   */
  end(status: number | undefined, bytesOut: number | undefined): void {
    if (this.ended) return;
    this.ended = true;
    try {
      const endTime = endTimeSince(this.startedAt, this.startedMonotonic);
      const durationMs = endTime - this.startedAt;
      this.status = status;
      this.bytesOut = bytesOut;
      this.durationMs = durationMs;
      const span = this.span;
      const route = this.route;
      if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (route !== undefined && route !== this.routeAtStart) {
        span.setAttribute(ATTR_HTTP_ROUTE, route);
        span.updateName(spanName(this.method, route));
      }
      if (bytesOut !== undefined) span.setAttribute('http.response.body.size', bytesOut);
      const serverError = status !== undefined && status >= 500;
      if (serverError) {
        // recordError already named the exception type; otherwise the status says it.
        if (!this.failed) span.setAttribute(ATTR_ERROR_TYPE, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      const target =
        route === undefined ? undefined : this.settings.sla?.get(`${this.method} ${route}`);
      if (target !== undefined) {
        span.setAttribute('sla.target_ms', target);
        span.setAttribute('sla.met', durationMs <= target);
      }
      if (this.instrumented) return;
      span.end(endTime);
      const attributes: Attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: this.method,
        [ATTR_URL_SCHEME]: this.scheme,
      };
      if (status !== undefined) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
      if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
      if (serverError) attributes[ATTR_ERROR_TYPE] = String(status);
      recordServerDuration(durationMs / 1000, attributes);
    } catch {
      // Telemetry never breaks the response.
    }
  }
}

/** `{method} {route}`, `{method}` without a route, `HTTP` for methods outside the conventions. */
export function spanName(method: string, route?: string): string {
  if (method === '_OTHER') return 'HTTP';
  return route === undefined ? method : `${method} ${route}`;
}

/** The trace id of a span, or `undefined` when it has no valid context (no SDK registered). */
export function traceIdOf(span: Span | undefined): string | undefined {
  const spanContext = span?.spanContext();
  return spanContext !== undefined && trace.isSpanContextValid(spanContext)
    ? spanContext.traceId
    : undefined;
}
