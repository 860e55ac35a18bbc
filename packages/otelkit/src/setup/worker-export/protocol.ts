import type { OtlpProtocol } from '../setup-options.ts';
import type { WireOrigins } from './wire.ts';

/** What the export worker is started with. */
export interface WorkerExporterConfig {
  signal: 'traces' | 'logs';
  protocol: OtlpProtocol;
  /** The signal URL when set in code; otherwise the exporter reads the OTLP environment variables. */
  url?: string | undefined;
  headers?: Record<string, string> | undefined;
}

export type WorkerRequest =
  | { type: 'export'; id: number; origins: WireOrigins; items: unknown[] | string }
  | { type: 'flush'; id: number }
  | { type: 'shutdown'; id: number };

export interface WorkerReply {
  id: number;
  ok: boolean;
  error?: string;
}
