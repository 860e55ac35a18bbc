// The fixture service without telemetry, whose requests build errors of the
// app's own class, which extends otelkit's CategorizedError: the app's work.
import Fastify from 'fastify';
import { CategorizedError } from 'otelkit';

class LookupError extends CategorizedError {
  constructor(id: number) {
    super(`user ${id} not in the cache`, { category: 'not_found', code: 'CACHE_MISS' });
    this.name = 'LookupError';
  }
}

const app = Fastify();
app.get('/', async () => {
  const misses: string[] = [];
  for (let id = 0; id < 20; id++) {
    try {
      throw new LookupError(id);
    } catch (error) {
      misses.push((error as LookupError).code ?? '');
    }
  }
  return { misses: misses.length };
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${url}\n`);
