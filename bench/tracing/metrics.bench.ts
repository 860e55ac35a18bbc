// A typed, lazily bound counter vs the SDK counter it resolves to.
import { metrics } from '@opentelemetry/api';
import { counter } from 'otelkit';
import { compare, report } from '../lib/compare.ts';
import { registerSdk } from '../lib/sdk.ts';

// Created before the SDK is registered, as a module-level instrument would be.
const typed = counter<{ 'http.route': string; 'http.request.method': string }>('typed.requests');
const sdk = await registerSdk();
const raw = metrics.getMeter('bench').createCounter('raw.requests');
const attributes = { 'http.route': '/users/:id', 'http.request.method': 'GET' };

const comparisons = [
  await compare(
    'typed counter add',
    {
      name: 'SDK counter.add',
      run(n) {
        for (let i = 0; i < n; i++) raw.add(1, attributes);
      },
    },
    {
      name: 'counter<A>().add',
      run(n) {
        for (let i = 0; i < n; i++) typed.add(1, attributes);
      },
    },
    { rounds: 40, iterations: 100_000, goal: 1.05 },
  ),
];

report('typed-metrics', comparisons);
await sdk.shutdown();
