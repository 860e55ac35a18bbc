import type { ResolvedConfig, SetupOptions } from '../setup/setup-options.ts';

/**
 * The warning for a setup whose spans go, in part or whole, elsewhere than
 * otelkit's OTLP http/protobuf export while tail sampling is on: those
 * exporters see the sampled flag only, that is the ratio's share, without
 * the errors and slow traces kept on top. `undefined` when none does.
 */
export function samplingCoverageWarning(
  config: ResolvedConfig,
  options: SetupOptions,
): string | undefined {
  if (config.sampling === undefined) return undefined;
  const { exporters, protocol } = config.traces;
  const elsewhere = options.traces?.exporter
    ? ['the traces.exporter given']
    : exporters
        .filter((kind) => kind !== 'none' && (kind !== 'otlp' || protocol !== 'http/protobuf'))
        .map((kind) => (kind === 'otlp' ? `otlp over ${protocol}` : kind));
  if (elsewhere.length === 0) return undefined;
  return `otelkit: sampling keeps errors and slow traces in the OTLP http/protobuf span export only; ${elsewhere.join(', ')} gets the ratio's share of traces (the sampled flag)`;
}
