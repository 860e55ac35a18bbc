// The fixture service without telemetry: prints its URL once it listens.
import Fastify from 'fastify';
import { addRoutes } from './users-app.ts';

const app = Fastify();
addRoutes(app);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${url}\n`);
