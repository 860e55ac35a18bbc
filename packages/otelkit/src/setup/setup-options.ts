import type {
  Attributes,
  Logger,
  LoggerProvider,
  Meter,
  MeterProvider,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordExporter, LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { MetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { DatabaseOptions } from '../db/database-options.ts';
import type { HttpClientOptions } from '../http/client/http-client-options.ts';
import type { ResolvedSamplingOptions, SamplingOptions } from '../sampling/sampling-options.ts';

/** Who is emitting: becomes the `service.*`, `deployment.*` and `cloud.region` resource attributes. */
export interface ServiceOptions {
  /** `service.name`; overrides `OTEL_SERVICE_NAME`. */
  name: string;
  /** `service.version`. */
  version?: string;
  /** `deployment.environment.name`, e.g. `production`. */
  environment?: string;
  /** `deployment.id`. */
  deploymentId?: string;
  /** `cloud.region`. */
  region?: string;
  /** `service.instance.id`; a random UUID when absent. */
  instanceId?: string;
}

/** Where the telemetry of a signal goes, when no exporter object is given. */
export type ExporterKind = 'otlp' | 'console' | 'none';

/** The OTLP wire protocols. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/**
 * Options of `setup()`. All are optional; each also has a standard `OTEL_*`
 * environment variable, and code wins over the environment.
 */
export interface SetupOptions {
  /** Service metadata for the resource. */
  service?: ServiceOptions;
  /** More resource attributes; `service` fields win over these. */
  resourceAttributes?: Attributes;
  /**
   * Exporter for all three signals. Overrides `OTEL_{TRACES,METRICS,LOGS}_EXPORTER`;
   * the per-signal OTLP variables (endpoint, headers, timeout) still apply.
   * @default 'otlp'
   */
  exporter?: ExporterKind;
  /** OTLP base endpoint; `/v1/{signal}` is appended for the HTTP protocols. @default 'http://localhost:4318' */
  endpoint?: string;
  /** OTLP protocol. @default 'http/protobuf' */
  protocol?: OtlpProtocol;
  /** Headers sent with every OTLP export (e.g. an API key of your backend). */
  headers?: Record<string, string>;
  /**
   * Fraction of new traces to sample (0..1), parent-based: children follow
   * their parent. Head sampling: decided as a trace starts. See `sampling`
   * to keep every error and slow trace instead.
   */
  sampleRatio?: number;
  /**
   * Tail sampling inside the process: keep every trace with an error, an SLA
   * miss or a slow local root, and `ratio` of the others, each decided when
   * its local root ends. Not with `sampleRatio`. Applies to the OTLP
   * http/protobuf span export (the default); see the sampling guide.
   * @default undefined (no tail sampling)
   * @example { ratio: 0.1, keepSlowerThanMs: 2000 }
   */
  sampling?: SamplingOptions;
  /** A span exporter (batched) and extra span processors. */
  traces?: { exporter?: SpanExporter; processors?: SpanProcessor[] };
  /**
   * A metric exporter (read periodically) or `'prometheus'` (served on
   * `/metrics` for Prometheus to pull, the official exporter-prometheus;
   * also `OTEL_METRICS_EXPORTER=prometheus`), extra readers, and the export
   * interval.
   */
  metrics?: {
    exporter?: PushMetricExporter | 'prometheus';
    /** Port of the Prometheus exporter; overrides `OTEL_EXPORTER_PROMETHEUS_PORT`. @default 9464 */
    port?: number;
    /** Host of the Prometheus exporter; overrides `OTEL_EXPORTER_PROMETHEUS_HOST`. @default '127.0.0.1' */
    host?: string;
    readers?: MetricReader[];
    intervalMs?: number;
  };
  /** A log record exporter (batched) and extra log record processors. */
  logs?: { exporter?: LogRecordExporter; processors?: LogRecordProcessor[] };
  /**
   * Count what the OTLP export of spans and log records delivers, fails to
   * deliver and drops, as the `otel.sdk.*` metrics of the OpenTelemetry
   * semantic conventions (`otel.sdk.processor.span.processed`,
   * `otel.sdk.exporter.span.exported`, …), exported with the other metrics.
   * @default true
   */
  selfMetrics?: boolean;
  /** OpenTelemetry instrumentations to enable with the providers. */
  instrumentations?: Instrumentation[];
  /** How long `shutdown()` and `forceFlush()` wait for each signal. @default 5000 */
  shutdownTimeoutMs?: number;
  /** Flush and shut down on SIGTERM and SIGINT, then exit with the conventional code. @default false */
  handleSignals?: boolean;
  /**
   * Trace outgoing HTTP calls (global `fetch`, undici, `node:http`, `node:https`)
   * from Node's diagnostics channels: one CLIENT span per call and the W3C trace
   * context in its headers. `false` turns it off; an object sets what to ignore
   * and which headers to record, like the server adapters.
   * @default true
   * @example { ignore: ['https://metrics.internal:9090'], captureHeaders: ['x-tenant'] }
   */
  httpClient?: boolean | HttpClientOptions;
  /**
   * Trace database and cache clients from the tracing channels their drivers
   * publish (mysql2 3.20 on, node-redis 5.12 on, ioredis 5.11 on): one CLIENT
   * span per query or command, connection spans, and the
   * `db.client.operation.duration` histogram. No driver is loaded for it. A
   * client whose official instrumentation is passed in `instrumentations` is
   * left to it. `false` turns it off; `{ queryText: false }` leaves
   * `db.query.text` out.
   * @default true
   * @example { queryText: false }
   */
  databases?: boolean | DatabaseOptions;
}

/** The telemetry signals. */
export type Signal = 'traces' | 'metrics' | 'logs';

/** What `setup()` decided, after code options and environment variables: useful to log at startup. */
export interface ResolvedConfig {
  readonly disabled: boolean;
  readonly serviceName: string;
  readonly sampler: string;
  readonly sampleRatio: number | undefined;
  /** Tail sampling, with its defaults filled in; `undefined` when off. */
  readonly sampling: ResolvedSamplingOptions | undefined;
  readonly shutdownTimeoutMs: number;
  /** Whether outgoing HTTP calls are traced. */
  readonly httpClient: boolean;
  /** Whether database and cache clients are traced. */
  readonly databases: boolean;
  readonly traces: SignalConfig & {
    readonly batch: {
      readonly scheduledDelayMillis: number;
      readonly exportTimeoutMillis: number;
      readonly maxQueueSize: number;
      readonly maxExportBatchSize: number;
    };
  };
  readonly metrics: SignalConfig & {
    readonly intervalMs: number;
    readonly timeoutMs: number;
    /** Where `/metrics` is served, when the Prometheus exporter is on. */
    readonly prometheus: { readonly host: string; readonly port: number } | undefined;
  };
  readonly logs: SignalConfig;
}

/** The exporters chosen for one signal. */
export interface SignalConfig {
  /** `custom` when an exporter object was passed in code; `prometheus` for metrics only. */
  readonly exporters: readonly (ExporterKind | 'prometheus' | 'custom')[];
  readonly protocol: OtlpProtocol;
  /** The signal URL when set in code; otherwise the exporter reads the OTLP environment variables. */
  readonly endpoint: string | undefined;
}

/** The handle `setup()` returns: providers' entry points, flush and shutdown. */
export interface Telemetry extends AsyncDisposable {
  /** The resource every signal carries. */
  readonly resource: Resource;
  /** What was configured. */
  readonly config: ResolvedConfig;
  /** The tracer provider (the API's no-op one when the SDK is disabled). */
  readonly tracerProvider: TracerProvider;
  /** The meter provider (the API's no-op one when the SDK is disabled). */
  readonly meterProvider: MeterProvider;
  /** The logger provider (the API's no-op one when the SDK is disabled). */
  readonly loggerProvider: LoggerProvider;
  /** A tracer; the name defaults to the service name. */
  tracer(name?: string, version?: string): Tracer;
  /** A meter; the name defaults to the service name. */
  meter(name?: string, version?: string): Meter;
  /** An OpenTelemetry logger; the name defaults to the service name. */
  logger(name?: string, version?: string): Logger;
  /** Exports everything buffered; rejects with an `AggregateError` of every signal that failed. */
  forceFlush(): Promise<void>;
  /**
   * Flushes and stops every signal (idempotent). Rejects with an `AggregateError`
   * of every signal that failed, after all of them were given their chance.
   */
  shutdown(): Promise<void>;
}
