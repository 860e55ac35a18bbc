// retry() around a function that succeeds the first time, vs calling it directly.
import { retry } from 'otelkit';
import { compare, report } from '../lib/compare.ts';
import { registerSdk } from '../lib/sdk.ts';

const sdk = await registerSdk({ contextAttributes: true });
let sink = 0;

// The smallest real asynchronous operation: one turn of the event loop, as any I/O takes.
const io = () => new Promise<number>((resolve) => setImmediate(resolve, 1));
// No asynchronous work at all: shows retry's fixed cost in ns (no goal: any wrapper that
// observes the rejection adds a promise reaction, which is all this function costs).
const nothing = async () => 1;

const comparisons = [
  await compare(
    'retry(fn), fn succeeds after one event-loop turn',
    {
      name: 'await fn()',
      async run(n) {
        for (let i = 0; i < n; i++) sink += await io();
      },
    },
    {
      name: 'await retry(fn)',
      async run(n) {
        for (let i = 0; i < n; i++) sink += await retry(io);
      },
    },
    { rounds: 40, iterations: 5_000, goal: 1.1 },
  ),
  await compare(
    'retry(fn), fn is an empty async function (fixed cost)',
    {
      name: 'await fn()',
      async run(n) {
        for (let i = 0; i < n; i++) sink += await nothing();
      },
    },
    {
      name: 'await retry(fn)',
      async run(n) {
        for (let i = 0; i < n; i++) sink += await retry(nothing);
      },
    },
    { rounds: 40, iterations: 50_000 },
  ),
];

report('retry', comparisons);
await sdk.shutdown();
if (sink < 0) console.log(sink);
