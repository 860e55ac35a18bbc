import type { ProfileAnalysis } from './analyze-profiles.ts';
import { GROUPS, TELEMETRY_GROUPS } from './module-group.ts';

/** How many functions the summary lists by self time. */
export const TOP_FUNCTIONS = 15;

/** One function among the top by self time. */
export interface TopFunction {
  function: string;
  url: string;
  group: string;
  selfPercent: number;
}

/** The JSON summary of one profiled run (`otelkit profile --json`). */
export interface ProfileSummary {
  /** Share of busy CPU spent in otelkit, the OpenTelemetry SDK and export. */
  telemetryPercent: number;
  /** Share of busy CPU by group; every group, adding up to 100. */
  groups: { group: string; percent: number }[];
  top: TopFunction[];
  requestsPerSecond: number;
  /** CPU time of the service's processes (user + system) over requests served, in microseconds. */
  cpuMicrosPerRequest: number;
  profilePath: string;
}

/** The JSON summary of `otelkit profile --compare --json`: as configured, sampled, disabled. */
export interface ComparisonSummary {
  runs: ProfileSummary[];
}

/**
 * The summary of an analysis, given the requests served in the `seconds` it was
 * profiled and the CPU time the processes used meanwhile.
 */
export function summarize(
  analysis: ProfileAnalysis,
  facts: { requests: number; seconds: number; cpuMicros: number; profilePath: string },
): ProfileSummary {
  const busy = analysis.busyMicros;
  const share = (micros: number) => (busy > 0 ? (100 * micros) / busy : 0);
  const percents = roundToTotal(
    GROUPS.map((g) => share(analysis.groupMicros.get(g) ?? 0)),
    busy > 0 ? 100 : 0,
  );
  let telemetry = 0;
  for (const g of TELEMETRY_GROUPS) telemetry += analysis.groupMicros.get(g) ?? 0;
  return {
    telemetryPercent: round2(share(telemetry)),
    groups: GROUPS.map((group, i) => ({ group, percent: percents[i]! })),
    top: analysis.functions.slice(0, TOP_FUNCTIONS).map((f) => ({
      function: f.function,
      url: f.url,
      group: f.group,
      selfPercent: round2(share(f.micros)),
    })),
    requestsPerSecond: facts.seconds > 0 ? round2(facts.requests / facts.seconds) : 0,
    cpuMicrosPerRequest: facts.requests > 0 ? round2(facts.cpuMicros / facts.requests) : 0,
    profilePath: facts.profilePath,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Rounds each value to hundredths so that they still add up to `total`
 * (largest remainder first), so the groups of a report add up to exactly 100.
 */
function roundToTotal(values: number[], total: number): number[] {
  const hundredths = values.map((v) => Math.floor(v * 100));
  let missing = Math.round(total * 100) - hundredths.reduce((a, b) => a + b, 0);
  const byRemainder = values
    .map((v, i) => ({ i, rest: v * 100 - hundredths[i]! }))
    .sort((a, b) => b.rest - a.rest);
  for (const { i } of byRemainder) {
    if (missing <= 0) break;
    hundredths[i]! += 1;
    missing--;
  }
  return hundredths.map((h) => h / 100);
}
