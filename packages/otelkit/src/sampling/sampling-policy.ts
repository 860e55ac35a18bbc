import type { TraceState } from '@opentelemetry/api';
import { ConsistentRatio } from './consistent-ratio.ts';
import type { LocalTrace, SamplingReason } from './local-trace.ts';
import type { ResolvedSamplingOptions } from './sampling-options.ts';

/**
 * What keeps a trace, in order: an error, an SLA miss, a slow local root,
 * then the ratio by trace id. The same rule decides at the root's end and
 * early, on what is known so far (a root still open past
 * `keepSlowerThanMs` is already slow).
 */
export class SamplingPolicy {
  readonly options: ResolvedSamplingOptions;
  readonly ratio: ConsistentRatio;

  constructor(options: ResolvedSamplingOptions) {
    this.options = options;
    this.ratio = new ConsistentRatio(options.ratio);
  }

  /**
   * Why `trace` is kept, `null` when it is dropped: `rootMs` is how long its
   * root lasted, or has lasted so far when it is still open.
   */
  decide(
    trace: LocalTrace,
    rootMs: number,
    traceId: string,
    traceState: TraceState | undefined,
  ): SamplingReason | null {
    const { keepErrors, keepSlaMisses, keepSlowerThanMs } = this.options;
    if (keepErrors && trace.error) return 'error';
    if (keepSlaMisses && trace.slaMiss) return 'sla';
    if (keepSlowerThanMs !== undefined && rootMs >= keepSlowerThanMs) return 'slow';
    return this.ratio.keeps(traceId, traceState) ? 'ratio' : null;
  }
}
