// node:http: plain vs otelkit/http vs the official route; see run-http-bench.ts.
import { benchHttpFramework } from './run-http-bench.ts';

await benchHttpFramework('node-http');
