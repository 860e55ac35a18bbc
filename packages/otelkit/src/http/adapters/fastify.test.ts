import { trace } from '@opentelemetry/api';
import Fastify from 'fastify';
import {
  databaseDown,
  describeAdapterContract,
  teapot,
  userBody,
} from '../../test-support/http-adapter-contract.ts';
import { otelkitPlugin } from './fastify.ts';

describeAdapterContract(
  'fastify',
  async (options) => {
    const app = Fastify();
    await app.register(otelkitPlugin, options);
    app.get<{ Params: { id: string } }>('/users/:id', async (request) =>
      userBody(request.params.id),
    );
    app.get('/boom', () => {
      throw databaseDown();
    });
    app.get('/reject', async () => {
      await Promise.resolve();
      throw databaseDown();
    });
    app.get('/teapot', async () => {
      throw teapot();
    });
    app.get('/healthz', async () => 'ok');
    app.post<{ Body: Record<string, unknown> }>('/echo', async (request) => ({
      size: Object.keys(request.body).length,
      traced: trace.getActiveSpan() !== undefined,
    }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  'framework-answers',
);
