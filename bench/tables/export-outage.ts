// docs/guides/export.md: the outage soak, otelkit's processor and the official
// one side by side while the backend hangs, then refuses connections.
import { goalTable, type LoadResults, machineOf, type Results, table } from '../lib/tables.ts';

interface Arm {
  ended: number;
  rssAtOneMinuteMb: number;
  rssEndMb: number;
  rssGrowthAfterFirstMinuteMb: number;
  counts: Record<string, Record<string, number>>;
  shutdownMs: number;
}

interface OutageResults extends Results {
  seconds: number;
  spansPerSecond: number;
  attributes: number;
  otelkit: Arm;
  official: Arm;
}

const counted = (arm: Arm) => {
  const processed = arm.counts['otel.sdk.processor.span.processed'] ?? {};
  const exported = arm.counts['otel.sdk.exporter.span.exported'] ?? {};
  const all = { ...prefix(processed, 'processed'), ...prefix(exported, 'exported') };
  return Object.entries(all)
    .filter(([type]) => !type.endsWith('='))
    .map(([type, count]) => `${type} ${count.toLocaleString('en')}`)
    .join('; ');
};

function prefix(counts: Record<string, number>, what: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).map(([type, n]) => [`${what} error.type=${type}`, n]),
  );
}

/** RSS and counts of each side. */
export default function render(load: LoadResults): string {
  const r = load('export-outage') as OutageResults;
  const row = (name: string, arm: Arm) => [
    name,
    arm.ended.toLocaleString('en'),
    `${arm.rssAtOneMinuteMb.toFixed(0)} MB`,
    `${arm.rssEndMb.toFixed(0)} MB`,
    `${arm.rssGrowthAfterFirstMinuteMb.toFixed(1)} MB`,
    counted(arm),
  ];
  return [
    table(
      [
        '',
        'spans ended',
        'RSS at 1 min',
        'RSS at the end',
        'growth after 1 min',
        'not delivered, as the self-metrics count them',
      ],
      [
        row('otelkit `OtlpSpanProcessor`', r.otelkit),
        row('official batch processor + exporter', r.official),
      ],
    ),
    '',
    goalTable(r, 2),
    '',
    `${r.seconds / 60} minutes at ${r.spansPerSecond.toLocaleString('en')} spans/s × ${r.attributes} attributes, ` +
      `the backend hanging for the first half and refusing connections for the second; ${machineOf(r)}.`,
  ].join('\n');
}
