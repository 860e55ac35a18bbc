import type { Metadata } from '@grpc/grpc-js';
import { loadPackage } from '../internal/load-package.ts';

/** What code sets for an OTLP exporter; the exporters read the OTLP environment variables for the rest. */
export interface OtlpConfig {
  url?: string;
  headers?: Record<string, string>;
}

/** The same for the gRPC exporters, which take headers as gRPC metadata. */
export function grpcConfig({ url, headers }: OtlpConfig): Record<string, unknown> {
  const config: Record<string, unknown> = url === undefined ? {} : { url };
  if (headers !== undefined) {
    const grpc = loadPackage<{ Metadata: new () => Metadata }>('@grpc/grpc-js');
    const metadata = new grpc.Metadata();
    for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
    config.metadata = metadata;
  }
  return config;
}
