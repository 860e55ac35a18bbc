import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
} from '@opentelemetry/api';
import { recordError } from '../errors/record-error.ts';
import { isTracingSuppressed } from '../http/client/tracing-suppressed.ts';
import { preciseNow } from '../internal/clock.ts';
import { defaultTracer } from '../trace/default-tracer.ts';
import { databaseErrorFacts } from './database-error.ts';
import { recordOperationDuration } from './operation-duration.ts';

/** What a driver's channel message says about one operation, in the conventions' terms. */
export interface OperationFacts {
  /** The span name: `{db.operation.name} {db.collection.name}`, the operation alone, or `connect`. */
  readonly name: string;
  /** `db.system.name` as known when the operation starts. */
  readonly system: string;
  /** `db.operation.name`, when the statement or command names one. */
  readonly operation: string | undefined;
  /** A connect or a pool wait: a span, but no `db.client.operation.duration` value. */
  readonly connection?: boolean;
  readonly collection?: string | undefined;
  readonly namespace?: string | undefined;
  readonly queryText?: string | undefined;
  readonly batchSize?: number | undefined;
  readonly address: string | undefined;
  readonly port: number | undefined;
}

/** The operations still open, ended when tracing is uninstalled: their channels report nothing more. */
export type OpenOperations = Set<ClientOperation>;

/**
 * Starts the CLIENT span of one database or cache operation in `parent` (the
 * context the call was made in), or returns `undefined` where tracing is
 * suppressed.
 */
export function startOperation(
  facts: OperationFacts,
  parent: Context,
  open: OpenOperations,
): ClientOperation | undefined {
  if (isTracingSuppressed(parent)) return undefined;
  // Literal keys keep the object on V8's fast path; the SDK drops the undefined values.
  const attributes: Attributes = {
    'db.system.name': facts.system,
    'db.namespace': facts.namespace,
    'db.operation.name': facts.operation,
    'db.collection.name': facts.collection,
    'db.query.text': facts.queryText,
    'db.operation.batch.size': facts.batchSize,
    'server.address': facts.address,
    'server.port': facts.port,
  };
  const startTime = preciseNow();
  const span = defaultTracer().startSpan(
    facts.name,
    { kind: SpanKind.CLIENT, attributes, startTime },
    parent,
  );
  return new ClientOperation(span, facts, startTime, parent, open);
}

/**
 * One database or cache operation in flight: its CLIENT span, ended exactly
 * once with what the driver reported, then its `db.client.operation.duration`
 * value (connection spans record none). Never throws.
 */
export class ClientOperation {
  readonly span: Span;
  /** The context the operation was called in. */
  readonly parent: Context;
  private system: string;
  private readonly operation: string | undefined;
  private readonly measured: boolean;
  private readonly collection: string | undefined;
  private readonly address: string | undefined;
  private readonly port: number | undefined;
  private readonly startTime: number;
  private readonly open: OpenOperations;
  private error: unknown = undefined;
  /** Whether the driver reported an error: the span ends with it. */
  failed = false;
  private ended = false;

  constructor(
    span: Span,
    facts: OperationFacts,
    startTime: number,
    parent: Context,
    open: OpenOperations,
  ) {
    this.span = span;
    this.parent = parent;
    this.system = facts.system;
    this.operation = facts.operation;
    this.measured = facts.connection !== true;
    this.collection = facts.collection;
    this.address = facts.address;
    this.port = facts.port;
    this.startTime = startTime;
    this.open = open;
    open.add(this);
  }

  /** The driver reported `error`: the span ends with it. The first error wins. */
  fail(error: unknown): void {
    if (this.failed || this.ended) return;
    this.failed = true;
    this.error = error;
  }

  /**
   * The operation is over. `system` is `db.system.name` when only the
   * finished operation tells it (MySQL or MariaDB, from the server's greeting).
   */
  end(system?: string): void {
    if (this.ended) return;
    this.ended = true;
    const endTime = preciseNow();
    this.open.delete(this);
    try {
      const span = this.span;
      let errorType: string | undefined;
      if (system !== undefined && system !== this.system) {
        this.system = system;
        span.setAttribute('db.system.name', system);
      }
      if (this.failed) {
        const facts = databaseErrorFacts(this.error);
        errorType = facts.type;
        // recordError names the exception's type; the conventions want the driver's code.
        recordError(this.error, { span });
        span.setAttribute('error.type', errorType);
        if (facts.statusCode !== undefined) {
          span.setAttribute('db.response.status_code', facts.statusCode);
        }
        span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(this.error) });
      }
      span.end(endTime);
      if (this.measured) {
        recordOperationDuration(
          (endTime - this.startTime) / 1000,
          this.metricAttributes(errorType),
        );
      }
    } catch {
      // Telemetry never breaks the call.
    }
  }

  /** The duration's attributes: metric attributes are not cleaned of `undefined` as span ones are. */
  private metricAttributes(errorType: string | undefined): Attributes {
    const attributes: Attributes = { 'db.system.name': this.system };
    if (this.operation !== undefined) attributes['db.operation.name'] = this.operation;
    if (this.collection !== undefined) attributes['db.collection.name'] = this.collection;
    if (this.address !== undefined) attributes['server.address'] = this.address;
    if (this.port !== undefined) attributes['server.port'] = this.port;
    if (errorType !== undefined) attributes['error.type'] = errorType;
    return attributes;
  }
}

function messageOf(error: unknown): string | undefined {
  try {
    const message = (error as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
