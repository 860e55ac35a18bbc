// The same service with otelkit: setup() exporting OTLP to OTEL_EXPORTER_OTLP_ENDPOINT,
// and the Fastify plugin.
import Fastify from 'fastify';
import { otelkitPlugin } from 'otelkit/fastify';
import { setup } from 'otelkit/setup';
import { addRoutes } from './users-app.ts';

setup({ service: { name: 'profile-fixture' }, handleSignals: true });
const app = Fastify();
await app.register(otelkitPlugin);
addRoutes(app);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${url}\n`);
