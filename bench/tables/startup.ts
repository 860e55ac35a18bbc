// docs/performance.md: what installing otelkit weighs and the import time of its entries, from startup.
import { type LoadResults, machineOf, type Results, table } from '../lib/tables.ts';

interface StartupResults extends Results {
  readonly install: { readonly packages: number; readonly megabytes: number };
  readonly rounds: number;
  readonly imports: readonly { entry: string; medianMs: number; extraOverApiMs: number }[];
}

/** The install figures and the import-time table. */
export default function render(load: LoadResults): string {
  const startup = load('startup') as StartupResults;
  const rows = startup.imports.map(({ entry, medianMs, extraOverApiMs }) => [
    `\`import '${entry}'\``,
    `${medianMs.toFixed(1)} ms`,
    entry === '@opentelemetry/api' ? '—' : `+${extraOverApiMs.toFixed(1)} ms`,
  ]);
  const { packages, megabytes } = startup.install;
  return [
    `\`npm install @opentelemetry/api otelkit\` in an empty app installs **${packages} packages**, ` +
      `${megabytes} MiB in \`node_modules\`.`,
    '',
    table(['entry', 'import time', 'over `@opentelemetry/api` alone'], rows),
    '',
    `Each import in a fresh process of that app (otelkit packed with \`npm pack\`), the entries alternated over ` +
      `${startup.rounds} rounds; medians (the difference is the median of per-round differences). ${machineOf(startup)}.`,
  ].join('\n');
}
