import { parseArgs } from 'node:util';

/** What `otelkit profile` was asked to do. */
export interface ProfileOptions {
  /** The command that starts the service (after `--`). */
  command: string[];
  /** @default 20 */
  durationSeconds: number;
  /** Whether `--duration` was given (with `--no-load`, it ends the profile instead of Ctrl-C). */
  durationGiven: boolean;
  /** Seconds of load before the profiler starts, so that the code is warm. @default 0 */
  warmupSeconds: number;
  /** Where the load goes; by default the URL the service was found ready at. */
  url: string | undefined;
  /** @default 10 */
  connections: number;
  readyUrl: string | undefined;
  port: number | undefined;
  /** @default 30 */
  timeoutSeconds: number;
  /** False with `--no-load`: the user drives the load. */
  load: boolean;
  compare: boolean;
  /** The sampling ratio of the `--compare` run. @default 0.1 */
  ratio: number;
  json: boolean;
  /** Where the `.cpuprofile` and the JSON summary are written. @default the current folder */
  outDir: string;
  /** @default 500 */
  sampleIntervalMicros: number;
  help: boolean;
}

/** `otelkit profile --help`. */
export const PROFILE_USAGE = `Usage: otelkit profile [options] -- <command that starts the service>

Starts the service with the V8 CPU profiler attached to each of its Node.js
processes, waits until it answers HTTP, drives load at it, stops it, and
reports the share of busy CPU by group: the service's own code, otelkit, the
OpenTelemetry SDK (spans, metrics, logs, export), the web framework, Node's
HTTP and networking, GC, other.

Options:
  --duration <s>       seconds of load (default 20); with --no-load, ends the
                       profile after that long instead of at Ctrl-C
  --warmup <s>         seconds of load before profiling starts, so that V8 has
                       compiled the hot code (default 0); with --no-load, prints
                       "warming up <url>" on stderr first
  --url <url>          where the load goes (default: the URL found ready)
  --connections <n>    concurrent connections of the load (default 10)
  --ready <url>        poll this URL until it answers below 500 (default: the
                       first URL the service prints, or --port)
  --port <n>           poll http://127.0.0.1:<n>/
  --timeout <s>        how long to wait for the service to be ready (default 30)
  --no-load            drive the load yourself; prints "profiling <url>" on
                       stderr when profiling starts; Ctrl-C to stop
  --compare            run twice more: with OTEL_SDK_DISABLED=true and with
                       OTEL_TRACES_SAMPLER=parentbased_traceidratio, side by side
  --ratio <r>          the sampling ratio of --compare (default 0.1)
  --json               print only the JSON summary on stdout
  --out <dir>          where the .cpuprofile and JSON summary go (default .)
  --sample-interval <µs>  microseconds between samples (default 500)
  -h, --help           this text

Example:
  npx otelkit profile --duration 30 --url http://127.0.0.1:3000/users/1 -- node server.js`;

/**
 * Parses the arguments of `otelkit profile`; throws an error that names the
 * offending value when one is wrong.
 */
export function parseProfileArgs(args: string[]): ProfileOptions {
  const split = args.indexOf('--');
  const own = split === -1 ? args : args.slice(0, split);
  const command = split === -1 ? [] : args.slice(split + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string', default: '0' },
      url: { type: 'string' },
      connections: { type: 'string', default: '10' },
      ready: { type: 'string' },
      port: { type: 'string' },
      timeout: { type: 'string', default: '30' },
      'no-load': { type: 'boolean', default: false },
      compare: { type: 'boolean', default: false },
      ratio: { type: 'string', default: '0.1' },
      json: { type: 'boolean', default: false },
      out: { type: 'string', default: '.' },
      'sample-interval': { type: 'string', default: '500' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { ...defaults(), help: true };
  if (positionals.length > 0) {
    throw new Error(
      `unexpected "${positionals[0]}": put the command that starts the service after --`,
    );
  }
  if (command.length === 0) {
    throw new Error('no command: put the command that starts the service after --');
  }
  return {
    command,
    durationSeconds: positive('--duration', values.duration ?? '20'),
    durationGiven: values.duration !== undefined,
    warmupSeconds: values.warmup === '0' ? 0 : positive('--warmup', values.warmup),
    url: values.url === undefined ? undefined : httpUrl('--url', values.url),
    connections: integer('--connections', values.connections, 1, 10_000),
    readyUrl: values.ready === undefined ? undefined : httpUrl('--ready', values.ready),
    port: values.port === undefined ? undefined : integer('--port', values.port, 1, 65_535),
    timeoutSeconds: positive('--timeout', values.timeout),
    load: !values['no-load'],
    compare: values.compare,
    ratio: ratio(values.ratio),
    json: values.json,
    outDir: values.out,
    sampleIntervalMicros: integer('--sample-interval', values['sample-interval'], 50, 1_000_000),
    help: false,
  };
}

function defaults(): ProfileOptions {
  return parseProfileArgs(['--', 'node']);
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${flag} must be a positive number of seconds, got "${text}"`);
  }
  return value;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function ratio(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`--ratio must be a number from 0 to 1, got "${text}"`);
  }
  return value;
}

function httpUrl(flag: string, text: string): string {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new Error(`${flag} must be an http:// or https:// URL, got "${text}"`);
  }
  return text;
}
