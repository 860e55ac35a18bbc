// docs/performance.md: import time of the entries, from startup.
import { type LoadResults, machineOf, type Results, table } from '../lib/tables.ts';

interface StartupResults extends Results {
  readonly build?: string;
  readonly rounds: number;
  readonly imports: readonly { entry: string; medianMs: number; extraOverApiMs: number }[];
}

/** The import-time table. */
export default function render(load: LoadResults): string {
  const startup = load('startup') as StartupResults;
  const rows = startup.imports.map(({ entry, medianMs, extraOverApiMs }) => [
    `\`import '${entry}'\``,
    `${medianMs.toFixed(1)} ms`,
    entry === '@opentelemetry/api' ? '—' : `+${extraOverApiMs.toFixed(1)} ms`,
  ]);
  return [
    table(['entry', 'import time', 'over `@opentelemetry/api` alone'], rows),
    '',
    `Each import in a fresh process, from the built \`dist\` as installed${startup.build?.startsWith('stale') ? ' (a dist older than the sources, which did not build then)' : ''}, the entries alternated over ` +
      `${startup.rounds} rounds; medians (the difference is the median of per-round differences). ${machineOf(startup)}.`,
  ].join('\n');
}
