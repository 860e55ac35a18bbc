// recordError of a three-level cause chain vs the SDK's recordException of the outer error alone.
import { type Span, trace } from '@opentelemetry/api';
import { recordError } from 'otelkit';
import { compare, report } from '../lib/compare.ts';
import { registerSdk } from '../lib/sdk.ts';

const sdk = await registerSdk();
const tracer = trace.getTracer('bench');

function failure(): Error {
  return new Error('could not place order', {
    cause: new Error('payment failed', { cause: new Error('connection reset by peer') }),
  });
}

// A span takes 100 records, under the default limit of 128 events, so neither
// arm pays for evicting old events; the span's own cost is shared by 100 calls.
// Exported as they end, such spans weigh tens of kilobytes: the processor is
// flushed every FLUSH_EVERY records, as its own timer would, so none is dropped.
const PER_SPAN = 100;
let spans = 0;
function inSpans(n: number, record: (span: Span) => void): void {
  for (let done = 0; done < n; done += PER_SPAN) {
    const span = tracer.startSpan('failing');
    for (let i = 0; i < PER_SPAN; i++) record(span);
    span.end();
    spans++;
  }
}

// As in production, each record gets an error just thrown, whose stack V8 has
// captured but not yet formatted: both arms format the outer stack once, and
// recordError must not format the causes' stacks. The errors are created up
// front so that creating them is not measured.
const fresh = { rounds: 30, warmupRounds: 5, iterations: 500, ...sdk.exportEvery };
function pool(): () => Error {
  const errors = Array.from(
    { length: (fresh.rounds + fresh.warmupRounds) * fresh.iterations },
    failure,
  );
  let next = 0;
  return () => errors[next++]!;
}
const forBaseline = pool();
const forCandidate = pool();

// The same error recorded again and again: its stack is formatted once and
// cached, so what remains is the SDK's copying of the event attributes, which
// for the two chain arrays alone costs about half a recordException.
const reused = failure();
void reused.stack;

const comparisons = [
  await compare(
    'recordError, 3-level cause chain, fresh errors',
    {
      name: 'span.recordException(outer)',
      run: (n) => inSpans(n, (span) => span.recordException(forBaseline())),
    },
    {
      name: 'recordError(outer, { span })',
      run: (n) => inSpans(n, (span) => recordError(forCandidate(), { span })),
    },
    { ...fresh, goal: 1.5 },
  ),
  await compare(
    'recordError, 3-level cause chain, one error recorded again (stack cached)',
    {
      name: 'span.recordException(outer)',
      run: (n) => inSpans(n, (span) => span.recordException(reused)),
    },
    {
      name: 'recordError(outer, { span })',
      run: (n) => inSpans(n, (span) => recordError(reused, { span })),
    },
    { rounds: 40, iterations: 20_000, ...sdk.exportEvery },
  ),
];

// Every span ended must reach the sink.
await sdk.expectExported(spans);
report('record-error', comparisons, { spansExported: spans });
await sdk.shutdown();
