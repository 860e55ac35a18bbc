// Hono: plain vs otelkit/hono (full setup(), batch export to a loopback sink)
// vs the official auto-instrumentation, requests/s from autocannon in another process.
import { benchHttpFramework } from './run-http-bench.ts';

await benchHttpFramework('hono');
