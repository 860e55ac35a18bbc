// The official route to the same telemetry: the OpenTelemetry SDK for Node
// (configured by the OTEL_* variables the runner sets: OTLP/protobuf for traces
// and metrics), the HTTP instrumentation, and the framework's own instrumentation.
import { createRequire } from 'node:module';
import type { FastifyOtelInstrumentation } from '@fastify/otel';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Framework } from './arms.ts';

const require = createRequire(import.meta.url);

/** The started SDK; Fastify's instrumentation is also a plugin to register. */
export interface OfficialRoute {
  readonly fastify: FastifyOtelInstrumentation | undefined;
  /** Exports what is buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

/** Starts the SDK; call it before the framework is loaded, so that its module hooks patch it. */
export function startOfficialRoute(framework: Framework): OfficialRoute {
  const { NodeSDK } =
    require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const instrumentations: Instrumentation[] = [new HttpInstrumentation()];
  let fastify: FastifyOtelInstrumentation | undefined;
  if (framework === 'fastify') {
    const otel = require('@fastify/otel') as typeof import('@fastify/otel');
    fastify = new otel.FastifyOtelInstrumentation();
    instrumentations.push(fastify);
  } else if (framework === 'express') {
    const { ExpressInstrumentation } =
      require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
    instrumentations.push(new ExpressInstrumentation());
  }
  // Hono's official middleware (@hono/otel) is added by the app itself.
  const sdk = new NodeSDK({ instrumentations });
  sdk.start();
  // The HTTP instrumentation patches node:http when it is first required; an
  // app that only imports it as ESM (Hono's node server) must not miss that.
  require('node:http');
  return { fastify, shutdown: () => sdk.shutdown() };
}
