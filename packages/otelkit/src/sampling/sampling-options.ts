import { SetupError } from '../setup/setup-error.ts';

/**
 * Tail sampling inside the process, for `setup({ sampling })`: every span is
 * recorded and encoded as it ends into its trace's buffer; when the trace's
 * local root ends, the trace is kept (errors, slow requests, SLA misses, and
 * `ratio` of the rest) or dropped whole. See the sampling guide.
 *
 * @example
 * setup({ sampling: { ratio: 0.1, keepSlowerThanMs: 2000 } });
 */
export interface SamplingOptions {
  /**
   * The share of ordinary traces kept, from 0 to 1: consistent by trace id
   * (OpenTelemetry's consistent probability sampling), so services with the
   * same ratio keep the same ordinary traces. It is also the sampled flag of
   * the `traceparent` this service sends on.
   */
  ratio: number;
  /** Keep a trace in which any span has the status `ERROR`. @default true */
  keepErrors?: boolean;
  /** Keep a trace whose local root lasted at least this long. @default undefined (none kept for it) */
  keepSlowerThanMs?: number;
  /** Keep a trace with an SLA miss (a span with `sla.met = false`). @default true */
  keepSlaMisses?: boolean;
  /**
   * The bytes of encoded spans waiting for a decision. When they are full,
   * the oldest undecided traces are decided early on what is known so far.
   * @default 8388608 (8 MiB)
   */
  maxBufferBytes?: number;
  /**
   * How long spans wait for a local root that has not ended; then their
   * trace is decided early on what is known so far.
   * @default 30000
   */
  maxTraceWaitMs?: number;
}

/** `SamplingOptions` with the defaults filled in. */
export interface ResolvedSamplingOptions {
  readonly ratio: number;
  readonly keepErrors: boolean;
  readonly keepSlowerThanMs: number | undefined;
  readonly keepSlaMisses: boolean;
  readonly maxBufferBytes: number;
  readonly maxTraceWaitMs: number;
}

const KNOWN = [
  'ratio',
  'keepErrors',
  'keepSlowerThanMs',
  'keepSlaMisses',
  'maxBufferBytes',
  'maxTraceWaitMs',
];

/**
 * Checks `sampling` and fills in its defaults.
 * @throws {SetupError} naming the option and its value when one is invalid,
 *   or when `sampleRatio` is set too (head and tail sampling exclude each other).
 */
export function resolveSamplingOptions(
  sampling: SamplingOptions,
  sampleRatio?: number,
): ResolvedSamplingOptions {
  if (typeof sampling !== 'object' || sampling === null || Array.isArray(sampling)) {
    throw new SetupError('sampling', sampling, 'expected an object such as { ratio: 0.1 }');
  }
  if (sampleRatio !== undefined) {
    throw new SetupError(
      'sampleRatio',
      sampleRatio,
      'expected no sampleRatio with sampling: sampling.ratio is the share of ordinary traces kept',
    );
  }
  for (const key of Object.keys(sampling)) {
    if (!KNOWN.includes(key)) {
      const value = (sampling as unknown as Record<string, unknown>)[key];
      throw new SetupError(
        `sampling.${key}`,
        value,
        `expected no such option (known: ${KNOWN.join(', ')})`,
      );
    }
  }
  const { ratio, keepErrors, keepSlowerThanMs, keepSlaMisses, maxBufferBytes, maxTraceWaitMs } =
    sampling;
  if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
    throw new SetupError('sampling.ratio', ratio, 'expected a number from 0 to 1');
  }
  return {
    ratio,
    keepErrors: flag('keepErrors', keepErrors),
    keepSlowerThanMs: optionalPositive('keepSlowerThanMs', keepSlowerThanMs, 'milliseconds'),
    keepSlaMisses: flag('keepSlaMisses', keepSlaMisses),
    maxBufferBytes:
      optionalPositive('maxBufferBytes', maxBufferBytes, 'bytes', true) ?? 8 * 1024 * 1024,
    maxTraceWaitMs: optionalPositive('maxTraceWaitMs', maxTraceWaitMs, 'milliseconds') ?? 30_000,
  };
}

function flag(option: string, value: boolean | undefined): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean')
    throw new SetupError(`sampling.${option}`, value, 'expected a boolean');
  return value;
}

function optionalPositive(
  option: string,
  value: number | undefined,
  unit: string,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value > 0 &&
    (!integer || Number.isInteger(value));
  if (!valid) {
    const what = integer ? 'a positive whole number of' : 'a positive number of';
    throw new SetupError(`sampling.${option}`, value, `expected ${what} ${unit}`);
  }
  return value;
}
