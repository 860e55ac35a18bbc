import { type Attributes, type Context, type Span, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import { recordError } from '../../errors/record-error.ts';
import { recordClientDuration } from './client-duration-metric.ts';
import { failureType } from './failure-type.ts';

/** What a span needs to know about its request beyond the span itself. */
export interface ClientSpanFields {
  /** `http.request.method`: the method, or `_OTHER`. */
  readonly method: string;
  readonly address: string;
  readonly port: number | undefined;
  /** The URL as requested (not redacted): a redirect's `Location` is resolved against it. */
  readonly url: string;
  /** The context the request was made in. */
  readonly parent: Context;
  readonly resendCount: number;
}

// Ends the spans of responses that were garbage-collected unread.
const finalizer = new FinalizationRegistry<ClientSpan>((span) => span.end());

/**
 * One outgoing request in flight: its CLIENT span, ended exactly once (by the
 * response's end, an error, an abort, the response's garbage collection or
 * the deadline), and then its `http.client.request.duration` value. Every
 * method is safe to call in any order and never throws.
 */
export class ClientSpan {
  readonly span: Span;
  readonly url: string;
  readonly parent: Context;
  readonly resendCount: number;
  private readonly method: string;
  private readonly address: string;
  private port: number | undefined;
  private status: number | undefined = undefined;
  private errorType: string | undefined = undefined;
  private ended = false;
  private watched = false;
  private readonly startedAt = performance.now();
  private readonly deadline: NodeJS.Timeout;
  private readonly open: Set<ClientSpan>;

  constructor(span: Span, fields: ClientSpanFields, maxSpanMs: number, open: Set<ClientSpan>) {
    this.span = span;
    this.method = fields.method;
    this.address = fields.address;
    this.port = fields.port;
    this.url = fields.url;
    this.parent = fields.parent;
    this.resendCount = fields.resendCount;
    this.open = open;
    open.add(this);
    // A response nobody reads never finishes its request: the span ends anyway.
    this.deadline = setTimeout(endSpan, maxSpanMs, this);
    this.deadline.unref();
  }

  /** The response status arrived: `http.response.status_code`, and `error.type` from 400 on. */
  respond(status: number, protocolVersion?: string): void {
    if (this.ended) return;
    try {
      this.status = status;
      const span = this.span;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (protocolVersion) span.setAttribute(ATTR_NETWORK_PROTOCOL_VERSION, protocolVersion);
      if (status >= 400) {
        this.errorType = String(status);
        span.setAttribute(ATTR_ERROR_TYPE, this.errorType);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    } catch {
      // Telemetry never breaks the request.
    }
  }

  /** The socket the request went out on: `network.peer.*`, and `server.port` if still unknown. */
  peer(address: string | undefined, port: number | undefined): void {
    if (this.ended) return;
    try {
      if (address) this.span.setAttribute(ATTR_NETWORK_PEER_ADDRESS, address);
      if (port === undefined) return;
      this.span.setAttribute(ATTR_NETWORK_PEER_PORT, port);
      if (this.port === undefined) {
        this.port = port;
        this.span.setAttribute(ATTR_SERVER_PORT, port);
      }
    } catch {
      // Telemetry never breaks the request.
    }
  }

  /** Ends the span when `response` is garbage-collected before anything else ended it. */
  watch(response: object): void {
    if (this.ended || this.watched) return;
    this.watched = true;
    finalizer.register(response, this, this);
  }

  /**
   * The request failed before its response was complete. A network error is
   * recorded (`error.type`, `ERROR` status, the `exception` event); the
   * caller's abort is not an error.
   */
  fail(error: unknown, destroyedByCaller = false): void {
    if (this.ended) return;
    try {
      const type = failureType(error, destroyedByCaller);
      if (type !== undefined) {
        this.errorType = type;
        recordError(error, { span: this.span });
        // recordError names the exception's type; the conventions want the code.
        this.span.setAttribute(ATTR_ERROR_TYPE, type);
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
      }
    } catch {
      // Telemetry never breaks the request.
    }
    this.end();
  }

  /** Ends the span and records the duration, once. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.open.delete(this);
    clearTimeout(this.deadline);
    if (this.watched) finalizer.unregister(this);
    try {
      this.span.end();
      const attributes: Attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: this.method,
        [ATTR_SERVER_ADDRESS]: this.address,
      };
      if (this.port !== undefined) attributes[ATTR_SERVER_PORT] = this.port;
      if (this.status !== undefined) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = this.status;
      if (this.errorType !== undefined) attributes[ATTR_ERROR_TYPE] = this.errorType;
      recordClientDuration((performance.now() - this.startedAt) / 1000, attributes);
    } catch {
      // Telemetry never breaks the request.
    }
  }
}

function endSpan(span: ClientSpan): void {
  span.end();
}

function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}
