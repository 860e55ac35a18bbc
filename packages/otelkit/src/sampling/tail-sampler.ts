import { type Context, SamplingDecision, trace } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import type { ConsistentRatio } from './consistent-ratio.ts';

const SAMPLED: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const RECORDED: SamplingResult = { decision: SamplingDecision.RECORD };

/**
 * The SDK sampler under tail sampling: every span is recorded (so that the
 * processor sees it end and can keep its trace after the fact), and its
 * sampled flag, the one the outgoing `traceparent` carries, is the ratio's
 * decision for the trace id. Services sampling at the same ratio thus agree
 * on the ordinary traces, whatever each keeps on top (errors, slow ones).
 * Like every consistent probability sampler, it ignores the parent's flag.
 */
export class TailSampler implements Sampler {
  readonly #ratio: ConsistentRatio;

  constructor(ratio: ConsistentRatio) {
    this.#ratio = ratio;
  }

  shouldSample(parentContext: Context, traceId: string): SamplingResult {
    const traceState = trace.getSpanContext(parentContext)?.traceState;
    return this.#ratio.keeps(traceId, traceState) ? SAMPLED : RECORDED;
  }

  toString(): string {
    return `TailSampler{ratio=${this.#ratio.ratio}}`;
  }
}
