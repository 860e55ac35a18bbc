import { createServer } from 'node:http';
import { instrumentHandler } from '../../http/adapters/node-http.ts';
import { close, listen } from '../../test-support/http-client.ts';

/**
 * Runs `work` inside a real request to an instrumented `node:http` server on
 * loopback, as an app's handler would, and returns what it returned.
 */
export async function insideServerRequest<T>(work: () => Promise<T>): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined;
  const server = createServer(
    instrumentHandler(async (_req, res) => {
      try {
        outcome = { value: await work() };
        res.end('ok');
      } catch (error) {
        outcome = { error };
        res.statusCode = 500;
        res.end('failed');
      }
    }),
  );
  try {
    const url = await listen(server);
    await (await fetch(`${url}/work`)).text();
  } finally {
    await close(server);
  }
  if (outcome === undefined) throw new Error('the handler did not run');
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
