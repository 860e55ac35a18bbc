import { type Attributes, type Context, type Span, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import { recordError } from '../../errors/record-error.ts';
import { endTimeSince } from '../../internal/clock.ts';
import { recordClientDuration } from './client-duration-metric.ts';
import { failureType } from './failure-type.ts';
import type { SpanDeadlines } from './span-deadlines.ts';

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
  /** When the span started, epoch milliseconds. */
  readonly startTime: number;
  /** The monotonic clock then (`performance.now()`). */
  readonly started: number;
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
  /** When the span ends at the latest (`performance.now()`), read by `SpanDeadlines`. */
  readonly deadline: number;
  private readonly method: string;
  private readonly address: string;
  private port: number | undefined;
  // What the response says, set on the span when it ends: one call into the SDK, not one per fact.
  private status: number | undefined = undefined;
  private errorType: string | undefined = undefined;
  private protocolVersion: string | undefined = undefined;
  private peerAddress: string | undefined = undefined;
  private peerPort: number | undefined = undefined;
  private portFromPeer = false;
  private ended = false;
  private failed = false;
  private watched = false;
  private readonly startTime: number;
  private readonly started: number;
  private readonly open: SpanDeadlines<ClientSpan>;

  constructor(
    span: Span,
    fields: ClientSpanFields,
    maxSpanMs: number,
    open: SpanDeadlines<ClientSpan>,
  ) {
    this.span = span;
    this.method = fields.method;
    this.address = fields.address;
    this.port = fields.port;
    this.url = fields.url;
    this.parent = fields.parent;
    this.resendCount = fields.resendCount;
    this.startTime = fields.startTime;
    this.started = fields.started;
    // A response nobody reads never finishes its request: the span ends anyway.
    this.deadline = fields.started + maxSpanMs;
    this.open = open;
    open.add(this);
  }

  /** The response status arrived: `http.response.status_code`, and `error.type` from 400 on. */
  respond(status: number, protocolVersion?: string): void {
    if (this.ended) return;
    this.status = status;
    if (protocolVersion) this.protocolVersion = protocolVersion;
    if (status >= 400) this.errorType = String(status);
  }

  /** The socket the request went out on: `network.peer.*`, and `server.port` if still unknown. */
  peer(address: string | undefined, port: number | undefined): void {
    if (this.ended) return;
    if (address) this.peerAddress = address;
    if (port === undefined) return;
    this.peerPort = port;
    this.portFromPeer = this.port === undefined;
    if (this.portFromPeer) this.port = port;
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
        this.failed = true;
        // recordError names the exception's type; `finish` sets the code the conventions want.
        recordError(error, { span: this.span });
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
      }
    } catch {
      // Telemetry never breaks the request.
    }
    this.end();
  }

  /** The request is over: the span ends, with what the response said, and the duration is recorded. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const endTime = endTimeSince(this.startTime, this.started);
    this.open.delete(this);
    if (this.watched) finalizer.unregister(this);
    try {
      const span = this.span;
      const status = this.status;
      const errorType = this.errorType;
      if (span.isRecording()) {
        // One call per fact: no intermediate object for the SDK to walk.
        if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        if (errorType !== undefined) span.setAttribute(ATTR_ERROR_TYPE, errorType);
        if (this.protocolVersion !== undefined) {
          span.setAttribute(ATTR_NETWORK_PROTOCOL_VERSION, this.protocolVersion);
        }
        if (this.peerAddress !== undefined) {
          span.setAttribute(ATTR_NETWORK_PEER_ADDRESS, this.peerAddress);
        }
        if (this.peerPort !== undefined) span.setAttribute(ATTR_NETWORK_PEER_PORT, this.peerPort);
        if (this.portFromPeer) span.setAttribute(ATTR_SERVER_PORT, this.peerPort);
        // A failure already set the status with its message.
        if (status !== undefined && status >= 400 && !this.failed) {
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
      span.end(endTime);
      recordClientDuration((endTime - this.startTime) / 1000, this.metricAttributes());
    } catch {
      // Telemetry never breaks the request.
    }
  }

  /** The duration's attributes. Metric attributes are not cleaned of `undefined` as span ones are. */
  private metricAttributes(): Attributes {
    // Literal keys keep the objects on V8's fast path (computed ones do not).
    const attributes: Attributes =
      this.status === undefined
        ? { 'http.request.method': this.method, 'server.address': this.address }
        : {
            'http.request.method': this.method,
            'server.address': this.address,
            'http.response.status_code': this.status,
          };
    if (this.port !== undefined) attributes[ATTR_SERVER_PORT] = this.port;
    if (this.errorType !== undefined) attributes[ATTR_ERROR_TYPE] = this.errorType;
    return attributes;
  }
}

function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}
