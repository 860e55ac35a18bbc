// Context keys, the signal lookup and span starts with keys set, each against
// the raw OpenTelemetry API call it stands for.
import { context, createContextKey as createRawKey, trace } from '@opentelemetry/api';
import { createContextKey, currentSignal, requestId, tenantId, userId, withSignal } from 'otelkit';
import { compare, report } from '../lib/compare.ts';
import { registerSdk } from '../lib/sdk.ts';

const sdk = await registerSdk({ contextAttributes: true });
const tracer = trace.getTracer('bench');
const RAW = createRawKey('bench.raw');
const plain = createContextKey<number>('plain');
const withAttribute = createContextKey<number>('with attribute', { spanAttribute: 'bench.n' });
let sink = 0;
const read = () => 1;

const raw = {
  name: 'context.with(ctx.setValue(k, v), fn)',
  run(n: number) {
    for (let i = 0; i < n; i++) sink += context.with(context.active().setValue(RAW, i), read);
  },
};

// The key arms run inside a context with a span, as request code does.
const requestContext = trace.setSpan(context.active(), tracer.startSpan('request'));
const inRequest = <T>(fn: () => T) => context.with(requestContext, fn);
// The signal lookup runs where a signal is set (as inside withTimeout or a task group),
// and the raw key holds a value too, so that both arms find one.
const signalContext = inRequest(() =>
  withSignal(new AbortController().signal, () => context.active()),
).setValue(RAW, new AbortController().signal);
const FALLBACK = new AbortController().signal;
const seen = new AbortController().signal;

function lookUpRaw(n: number): void {
  for (let i = 0; i < n; i++) if ((context.active().getValue(RAW) ?? FALLBACK) === seen) sink++;
}
function lookUpSignal(n: number): void {
  for (let i = 0; i < n; i++) if (currentSignal() === seen) sink++;
}

const options = { rounds: 40, iterations: 50_000 };
const comparisons = [
  await compare(
    'key.with(v, fn), no span attribute',
    { ...raw, run: (n) => inRequest(() => raw.run(n)) },
    {
      name: 'key.with(v, fn)',
      run: (n) =>
        inRequest(() => {
          for (let i = 0; i < n; i++) sink += plain.with(i, read);
        }),
    },
    { ...options, goal: 1.1 },
  ),
  await compare(
    'key.with(v, fn), with a span attribute',
    { ...raw, run: (n) => inRequest(() => raw.run(n)) },
    {
      name: 'key.with(v, fn) + spanAttribute',
      run: (n) =>
        inRequest(() => {
          for (let i = 0; i < n; i++) sink += withAttribute.with(i, read);
        }),
    },
    { ...options, goal: 1.1 },
  ),
  await compare(
    'currentSignal()',
    {
      name: 'context.active().getValue(k) ?? fallback',
      run: (n) => context.with(signalContext, lookUpRaw, undefined, n),
    },
    {
      name: 'currentSignal()',
      run: (n) => context.with(signalContext, lookUpSignal, undefined, n),
    },
    { rounds: 40, iterations: 2_000_000, goal: 1.1 },
  ),
];

// Span start (and end) in a context with the three built-in keys set, vs none.
const bare = context.active();
const keyed = tenantId.set(userId.set(requestId.set(bare, 'req-1'), 'user-7'), 'acme');
const startSpans = (ctx: typeof bare) => (n: number) =>
  context.with(ctx, () => {
    for (let i = 0; i < n; i++) tracer.startSpan('op').end();
  });
const spanStart = await compare(
  'span start with 3 context keys set',
  { name: 'no keys set', run: startSpans(bare) },
  { name: 'requestId, userId, tenantId set', run: startSpans(keyed) },
  { rounds: 60, iterations: 20_000, goal: 1.15, ...sdk.exportEvery },
);
comparisons.push(spanStart);

// What the same three attributes cost when passed to startSpan by hand: the SDK's
// own price of three attributes, which the keys pay through the sampler once.
const explicitAttributes = { 'request.id': 'req-1', 'user.id': 'user-7', 'tenant.id': 'acme' };
const byHand = await compare(
  'span start with 3 context keys set, against the same 3 attributes passed to startSpan',
  {
    name: 'startSpan with attributes',
    run: (n) =>
      context.with(bare, () => {
        for (let i = 0; i < n; i++)
          tracer.startSpan('op', { attributes: explicitAttributes }).end();
      }),
  },
  { name: 'requestId, userId, tenantId set', run: startSpans(keyed) },
  { rounds: 60, iterations: 20_000, ...sdk.exportEvery },
);
comparisons.push(byHand);

// Only the span-start comparisons end spans (the request span stays open); all are exported.
const spansExported = 2 * spanStart.operationsPerArm + 2 * byHand.operationsPerArm;
await sdk.expectExported(spansExported);
report('context-keys', comparisons, { spansExported });
await sdk.shutdown();
if (sink < 0) console.log(sink);
