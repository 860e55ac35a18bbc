import { parseArgs } from 'node:util';

// node:sqlite is built in from Node.js 22.13; on older versions say so instead of a link error.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `otelkit-viewer needs Node.js 22.13 or newer (for node:sqlite); this is ${process.version}`,
  );
  process.exit(1);
}

// Node.js 22 warns on loading node:sqlite that it is experimental, which the viewer's users
// cannot act on: that one warning is left out while it loads; every other warning still shows.
const emitWarning = process.emitWarning;
process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
  const options = rest[0] as string | { type?: string } | undefined;
  const type = typeof options === 'string' ? options : (options?.type ?? '');
  const message = typeof warning === 'string' ? warning : warning.message;
  if (type === 'ExperimentalWarning' && message.includes('SQLite')) return;
  return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
} as typeof process.emitWarning;
try {
  await import('node:sqlite');
} finally {
  process.emitWarning = emitWarning;
}
const { startViewer } = await import('./viewer.ts');

const usage = `Usage: otelkit-viewer [options]

A local OTLP/HTTP receiver (POST /v1/traces, /v1/logs, /v1/metrics) with a web viewer of
traces, errors, services, logs and metrics.

Options:
  --host <address>      address to listen on (default 127.0.0.1)
  --port <number>       port to listen on; 0 picks a free one (default 4318)
  --db <file>           SQLite file, or :memory: (default .otelkit/viewer.db); an existing
                        file is reopened with what it holds
  --max-spans <number>  spans kept, oldest traces removed first (default 1000000)
  --max-age <hours>     hours telemetry is kept (default 168)
  --max-body-mib <n>    largest request body after decompression (default 20)
  --cors <origin>       let pages from <origin> export to the receiver (a browser SDK);
                        repeatable, * for any (default: none)
  -h, --help            show this help

Needs Node.js 22.13 or newer.`;

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  }
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      db: { type: 'string' },
      'max-spans': { type: 'string' },
      'max-age': { type: 'string' },
      'max-body-mib': { type: 'string' },
      cors: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const maxAgeHours = numberOption('max-age', values['max-age']);
  const maxBodyMib = numberOption('max-body-mib', values['max-body-mib']);
  const host = values.host ?? '127.0.0.1';
  const port = numberOption('port', values.port) ?? 4318;
  let viewer: Awaited<ReturnType<typeof startViewer>>;
  try {
    viewer = await startViewer({
      host,
      port,
      db: values.db,
      maxSpans: numberOption('max-spans', values['max-spans']),
      maxAgeMs: maxAgeHours === undefined ? undefined : maxAgeHours * 3_600_000,
      maxBodyBytes: maxBodyMib === undefined ? undefined : Math.floor(maxBodyMib * 1024 * 1024),
      cors: values.cors,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `port ${port} on ${host} is already in use (another viewer?); use --port 0 for a free port, or --port <another>`,
      );
    }
    throw error;
  }
  console.log(`listening on ${viewer.url}`);
  const stop = () => {
    viewer.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`otelkit-viewer: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
