// Load generator, in its own process: `node load.ts <url> <seconds> <connections>`.
// Prints autocannon's average requests per second and the error count as JSON.
import { createRequire } from 'node:module';

interface AutocannonResult {
  requests: { average: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  duration: number;
  connections: number;
  pipelining: number;
}) => Promise<AutocannonResult>;

const [url, seconds, connections] = process.argv.slice(2) as [string, string, string];
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
const result = await autocannon({
  url,
  duration: Number(seconds),
  connections: Number(connections),
  pipelining: 1,
});
process.stdout.write(
  `${JSON.stringify({ rps: result.requests.average, errors: result.errors + result.non2xx })}\n`,
);
