// docs/production.md, sizing: what a span weighs on the wire and how long an
// outage the default byte bound rides out.
import type { LoadResults } from '../lib/tables.ts';
import { table } from '../lib/tables.ts';
import type { ExportResults } from './export.ts';

const RATES = [1000, 10_000];

/** Bytes per span and the outage the default `maxQueueBytes` holds at each rate. */
export default function render(load: LoadResults): string {
  const r = load('export') as ExportResults;
  const mib = r.maxQueueBytes / 2 ** 20;
  const rows = RATES.map((rate) => {
    const seconds = r.maxQueueBytes / (r.bytesPerSpan * rate);
    return [
      `${rate.toLocaleString('en')} spans/s`,
      `${Math.round((r.bytesPerSpan * rate) / 1024).toLocaleString('en')} KiB/s`,
      `${seconds.toFixed(1)} s`,
    ];
  });
  const held = Math.floor(r.maxQueueBytes / r.bytesPerSpan).toLocaleString('en');
  return [
    `An HTTP server span with 12 attributes weighs **${Math.round(r.bytesPerSpan)} bytes** on the wire ` +
      `(OTLP/protobuf, uncompressed), so the default ${mib} MiB bound holds ${held} of them.`,
    '',
    table(['load', 'export traffic', 'an outage the default bound rides out'], rows),
  ].join('\n');
}
