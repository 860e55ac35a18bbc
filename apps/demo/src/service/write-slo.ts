// Writes the demo's slo.json and prometheus-rules.yml from the SLO object in
// slo.ts, the one the service passes to its HTTP plugin:
//   node --conditions=otelkit-source apps/demo/src/service/write-slo.ts
// (the same rules as `npx otelkit rules apps/demo/slo.json`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prometheusRules } from 'otelkit/alerts';
import { slo } from './slo.ts';

/** The files written from `slo`, by path relative to `apps/demo`. */
export function sloFiles(): Record<'slo.json' | 'prometheus-rules.yml', string> {
  return {
    'slo.json': `${JSON.stringify(slo, null, 2)}\n`,
    'prometheus-rules.yml': prometheusRules(slo),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, text] of Object.entries(sloFiles())) {
    writeFileSync(fileURLToPath(new URL(`../../${name}`, import.meta.url)), text);
    console.log(`wrote apps/demo/${name}`);
  }
}
