// withSpan / traced vs the hand-written startActiveSpan + try/finally they replace.
import { trace } from '@opentelemetry/api';
import { traced, withSpan } from 'otelkit';
import { compare, report } from '../lib/compare.ts';
import { registerSdk } from '../lib/sdk.ts';

const sdk = await registerSdk();
const tracer = trace.getTracer('bench');
const attributes = { 'order.id': 'o-1', 'order.items': 3 };
const operation = { spanName: 'orders.place', spanAttributes: attributes };
let sink = 0;

function work(): number {
  return 1;
}
async function workAsync(): Promise<number> {
  return 1;
}

// Every span is exported (the processor flushed every FLUSH_EVERY operations) and
// counted at the end: nothing is measured on the queue's drop path.
const options = { rounds: 40, iterations: 20_000, goal: 1.05, ...sdk.exportEvery };
const comparisons = [
  await compare(
    'withSpan, sync fn',
    {
      name: 'startActiveSpan + try/finally',
      run(n) {
        for (let i = 0; i < n; i++) {
          sink += tracer.startActiveSpan('op', (span) => {
            try {
              return work();
            } finally {
              span.end();
            }
          });
        }
      },
    },
    {
      name: 'withSpan',
      run(n) {
        for (let i = 0; i < n; i++) sink += withSpan('op', () => work());
      },
    },
    options,
  ),
  await compare(
    'withSpan, async fn',
    {
      name: 'startActiveSpan + async try/finally',
      async run(n) {
        for (let i = 0; i < n; i++) {
          sink += await tracer.startActiveSpan('op', async (span) => {
            try {
              return await workAsync();
            } finally {
              span.end();
            }
          });
        }
      },
    },
    {
      name: 'withSpan',
      async run(n) {
        for (let i = 0; i < n; i++) sink += await withSpan('op', () => workAsync());
      },
    },
    options,
  ),
  await compare(
    'traced, sync fn with attributes',
    {
      name: 'startActiveSpan({ attributes }) + try/finally',
      run(n) {
        for (let i = 0; i < n; i++) {
          sink += tracer.startActiveSpan('orders.place', { attributes }, (span) => {
            try {
              return work();
            } finally {
              span.end();
            }
          });
        }
      },
    },
    {
      name: 'traced',
      run(n) {
        for (let i = 0; i < n; i++) sink += traced(operation, () => work());
      },
    },
    options,
  ),
  await compare(
    'traced, async fn with attributes',
    {
      name: 'startActiveSpan({ attributes }) + async try/finally',
      async run(n) {
        for (let i = 0; i < n; i++) {
          sink += await tracer.startActiveSpan('orders.place', { attributes }, async (span) => {
            try {
              return await workAsync();
            } finally {
              span.end();
            }
          });
        }
      },
    },
    {
      name: 'traced',
      async run(n) {
        for (let i = 0; i < n; i++) sink += await traced(operation, () => workAsync());
      },
    },
    options,
  ),
];

const spans = comparisons.reduce((sum, c) => sum + 2 * c.operationsPerArm, 0);
await sdk.expectExported(spans);
report('tracing', comparisons, { spansExported: spans });
await sdk.shutdown();
if (sink === 0) throw new Error('unreachable: keeps the measured calls alive');
