// An integer of 16 digits or more outside a string may be beyond 2^53, where JSON.parse rounds.
const longInteger = /(?:^|[^"\w.])-?\d{16,}/;

type SourceContext = { source?: string } | undefined;

// Keeps the source text of an integer JSON.parse cannot hold exactly; protobufjs reads int64
// fields from decimal strings digit for digit.
function keepLongIntegers(_key: string, value: unknown, context?: SourceContext): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || !context?.source) return value;
  return /^-?\d+$/.test(context.source) ? context.source : value;
}

/**
 * Parses an OTLP/JSON body. Producers may write int64 fields (times, `intValue`, counts) as JSON
 * numbers beyond 2^53; those keep every digit as a decimal string instead of being rounded.
 */
export function parseOtlpJson(text: string): unknown {
  if (!longInteger.test(text)) return JSON.parse(text);
  return JSON.parse(text, keepLongIntegers as (key: string, value: unknown) => unknown);
}
