import { type Context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { writeKeyValues } from '../export/any-value.ts';
import { resolveOtlpExportConfig } from '../export/export-config.ts';
import type { OtlpSpanProcessorOptions } from '../export/otlp-export-options.ts';
import { OtlpProcessor } from '../export/otlp-processor.ts';
import { ProtoWriter } from '../export/proto-writer.ts';
import { type Encoder, writeRecord } from '../export/record-buffer.ts';
import { encodeSpan } from '../export/span-encoder.ts';
import { StringCache } from '../export/string-cache.ts';
import { LocalTrace, type SamplingReason } from './local-trace.ts';
import { SamplingMetrics } from './sampling-metrics.ts';
import {
  type ResolvedSamplingOptions,
  resolveSamplingOptions,
  type SamplingOptions,
} from './sampling-options.ts';
import { SamplingPolicy } from './sampling-policy.ts';
import { type HeldSpanVisitor, TraceBuffers } from './trace-buffers.ts';

/** Options of `TailSamplingSpanProcessor`: the export's, and the sampling's. */
export interface TailSamplingSpanProcessorOptions extends OtlpSpanProcessorOptions {
  sampling: SamplingOptions | ResolvedSamplingOptions;
}

/** The property linking a span to its local trace. */
const LOCAL_TRACE = Symbol('otelkit.sampling.localTrace');

/** The root of a kept trace, encoded with `otelkit.sampling.reason` after its own attributes. */
const ROOT_ENCODERS = Object.fromEntries(
  (['error', 'slow', 'sla', 'ratio'] as const).map((reason) => {
    const attributes = { 'otelkit.sampling.reason': reason };
    const encode: Encoder<ReadableSpan> = (w, span, strings) => {
      encodeSpan(w, span, strings);
      // A repeated field may continue after other fields: decoders append it to the attributes.
      writeKeyValues(w, attributes, 0x4a, strings); // 9 attributes
    };
    return [reason, encode];
  }),
) as Record<SamplingReason, Encoder<ReadableSpan>>;

/**
 * `OtlpSpanProcessor`'s export with tail sampling: every recorded span, sampled flag
 * or not, is encoded as it ends into the buffer of its local trace; when the
 * local root ends, the policy keeps the local trace (its spans go to the
 * export batch, the root with `otelkit.sampling.reason`) or drops it (its
 * spans are let go, never counted as export failures). Spans that end after
 * the decision follow it. When the buffers reach `maxBufferBytes`, or spans
 * wait `maxTraceWaitMs` for their root, the oldest traces are decided early.
 * Pair it with `TailSampler`, which records every span; `setup({ sampling })`
 * installs both.
 */
export class TailSamplingSpanProcessor
  extends OtlpProcessor<ReadableSpan>
  implements SpanProcessor
{
  /** The sampling options in force. */
  readonly sampling: ResolvedSamplingOptions;
  /** Local traces decided, by decision: the `otelkit.sampling.traces` counter. */
  readonly decisions: SamplingMetrics;
  /** The spans waiting for a decision. */
  readonly buffers: TraceBuffers;
  readonly #policy: SamplingPolicy;
  /** Spans that take no property of ours (frozen ones), to their local trace. */
  readonly #traces = new WeakMap<object, LocalTrace>();
  readonly #strings = new StringCache();
  readonly #scratch = new ProtoWriter(16 * 1024);
  /** Sends a held span of a kept trace. */
  readonly #send: HeldSpanVisitor = (resource, scope, source, offset, length) =>
    this.addEncoded(resource, scope, source, offset, length);
  #timer: NodeJS.Timeout | undefined;
  #ending = false;
  #closed = false;

  /** @throws {SetupError} when a sampling option is invalid, naming it and its value. */
  constructor(options: TailSamplingSpanProcessorOptions) {
    const { sampling, ...exportOptions } = options;
    super(
      resolveOtlpExportConfig('traces', exportOptions),
      'spans',
      encodeSpan,
      exportOptions.meterProvider,
    );
    this.sampling = resolveSamplingOptions(sampling);
    this.#policy = new SamplingPolicy(this.sampling);
    this.buffers = new TraceBuffers(this.sampling.maxBufferBytes);
    this.decisions = new SamplingMetrics(options.meterProvider);
  }

  /** Notes the span's local trace: its parent's, or a new one when the parent is not ours. */
  onStart(span: Span, parentContext: Context): void {
    try {
      const parent = trace.getSpan(parentContext);
      const local = parent === undefined ? undefined : this.#localTraceOf(parent);
      this.#link(span, local ?? new LocalTrace(span, performance.now()));
    } catch {
      // Telemetry never breaks the app.
    }
  }

  /** Holds the span for its trace's decision, decides at the local root, or follows the decision. */
  onEnd(span: ReadableSpan): void {
    try {
      this.#ended(span);
    } catch {
      // Telemetry never breaks the app.
    }
  }

  /** Spans ended and not yet done with: waiting for a decision, in the batch, or in requests. */
  override get pendingCount(): number {
    return super.pendingCount + this.buffers.count;
  }

  override processEnding(ending: boolean, timeLeftMs?: number): void {
    this.#ending = ending;
    super.processEnding(ending, timeLeftMs);
  }

  /** While the process ends, decides every waiting trace first: no root will end to decide it. */
  override forceFlush(): Promise<void> {
    if (this.#ending) this.#decideAll();
    return super.forceFlush();
  }

  /** Decides every waiting trace on what is known, then sends what is kept and stops. */
  override shutdown(): Promise<void> {
    if (!this.#closed) {
      this.#decideAll();
      this.#closed = true;
      clearTimeout(this.#timer);
    }
    return super.shutdown();
  }

  #ended(span: ReadableSpan): void {
    if (this.#closed) {
      this.add(span); // counted by the export as ended after shutdown
      return;
    }
    let local = this.#localTraceOf(span);
    // Started before this processor was installed: a trace of its own.
    local ??= new LocalTrace(span, performance.now());
    const root = local.root === span;
    if (local.decision === undefined) {
      if (span.status.code === SpanStatusCode.ERROR) local.error = true;
      if (span.attributes['sla.met'] === false) local.slaMiss = true;
      if (!root) {
        this.#hold(local, span);
        return;
      }
      const [seconds, nanos] = span.duration;
      this.#decide(local, seconds * 1000 + nanos / 1e6, false);
    }
    const decision = local.decision;
    if (decision === null || decision === undefined) return;
    if (root) this.#sendRoot(span, decision);
    else this.add(span);
  }

  /** Encodes a span into its trace's buffer, deciding the oldest traces early to make room. */
  #hold(local: LocalTrace, span: ReadableSpan): void {
    const size = this.#encode(span, encodeSpan);
    if (size === undefined) return;
    const buffers = this.buffers;
    for (
      let o = buffers.oldest;
      o && !buffers.fits(buffers.growth(local, size));
      o = buffers.oldest
    ) {
      this.#decideEarly(o);
    }
    // One span larger than the whole bound decides its own trace.
    if (local.decision === undefined && !buffers.fits(buffers.growth(local, size))) {
      this.#decideEarly(local);
    }
    const { resource, instrumentationScope } = span;
    if (local.decision === undefined) {
      buffers.hold(
        local,
        resource,
        instrumentationScope,
        this.#scratch.buf,
        size,
        performance.now(),
      );
      this.#arm();
    } else if (local.decision !== null) {
      this.addEncoded(resource, instrumentationScope, this.#scratch.buf, 0, size);
    }
  }

  /** Sends the root of a kept trace, carrying the reason. */
  #sendRoot(span: ReadableSpan, reason: SamplingReason): void {
    const size = this.#encode(span, ROOT_ENCODERS[reason]);
    if (size !== undefined) {
      this.addEncoded(span.resource, span.instrumentationScope, this.#scratch.buf, 0, size);
    }
  }

  /** Encodes `span` at the start of the scratch buffer; its size, or `undefined` when it failed (counted). */
  #encode(span: ReadableSpan, encode: Encoder<ReadableSpan>): number | undefined {
    const w = this.#scratch;
    w.pos = 0;
    try {
      return writeRecord(w, span, encode, this.#strings);
    } catch (error) {
      this.dropped(
        error instanceof Error ? error.name : typeof error,
        `it could not be encoded (${String(error)})`,
      );
      return undefined;
    }
  }

  /** The local trace `span` started in, if it started since this processor was installed. */
  #localTraceOf(span: object): LocalTrace | undefined {
    return (span as { [LOCAL_TRACE]?: LocalTrace })[LOCAL_TRACE] ?? this.#traces.get(span);
  }

  /**
   * Links `span` to its local trace with a property of ours on the span: a
   * WeakMap over every span cost several times the rest of the processor,
   * most of it in the garbage collector.
   */
  #link(span: object, local: LocalTrace): void {
    try {
      (span as { [LOCAL_TRACE]?: LocalTrace })[LOCAL_TRACE] = local;
    } catch {
      this.#traces.set(span, local);
    }
  }

  /** Decides `local`, counts the decision and sends or lets go of what it holds. */
  #decide(local: LocalTrace, rootMs: number, early: boolean): void {
    const context = local.root.spanContext();
    const reason = this.#policy.decide(local, rootMs, context.traceId, context.traceState);
    local.decision = reason;
    this.decisions.add(early ? 'early' : (reason ?? 'dropped'));
    this.buffers.release(local, reason === null ? undefined : this.#send);
  }

  #decideEarly(local: LocalTrace): void {
    this.#decide(local, performance.now() - local.startedAt, true);
  }

  #decideAll(): void {
    for (let oldest = this.buffers.oldest; oldest; oldest = this.buffers.oldest) {
      this.#decideEarly(oldest);
    }
  }

  /** Wakes when the oldest waiting trace has waited `maxTraceWaitMs`. */
  #arm(): void {
    const oldest = this.buffers.oldest;
    if (this.#timer !== undefined || oldest === undefined) return;
    const waitMs = this.sampling.maxTraceWaitMs;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        try {
          const now = performance.now();
          for (let o = this.buffers.oldest; o && now - o.since >= waitMs; o = this.buffers.oldest) {
            this.#decideEarly(o);
          }
          this.#arm();
        } catch {
          // Telemetry never breaks the app.
        }
      },
      Math.max(0, oldest.since + waitMs - performance.now()),
    );
    this.#timer.unref();
  }
}
