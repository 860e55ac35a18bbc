import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { ConsistentRatio } from '../sampling/consistent-ratio.ts';
import { TailSampler } from '../sampling/tail-sampler.ts';
import type { ResolvedConfig } from './setup-options.ts';

/** The SDK sampler named by `OTEL_TRACES_SAMPLER` (or `sampleRatio`, or `sampling`: `tail`). */
export function buildSampler({ sampler, sampleRatio = 1, sampling }: ResolvedConfig): Sampler {
  switch (sampler) {
    case 'tail':
      return new TailSampler(new ConsistentRatio(sampling?.ratio ?? 1));
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(sampleRatio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatio) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
