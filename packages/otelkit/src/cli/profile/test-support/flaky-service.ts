// The fixture service without telemetry, answering every tenth request with a 500.
import Fastify from 'fastify';
import { usersPage } from './users-app.ts';

let served = 0;
const app = Fastify();
app.get('/', async (_request, reply) => {
  if (++served % 10 === 0) return reply.code(500).send({ error: 'flaky' });
  return usersPage();
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${url}\n`);
