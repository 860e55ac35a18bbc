import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ContextAttributesSampler } from '../context/span-attributes.ts';
import { registerGlobals, unregisterGlobals } from '../setup/register-globals.ts';
import type { Telemetry } from '../setup/setup-options.ts';

/** Options of `createTestTelemetry()`. */
export interface TestTelemetryOptions {
  /** `service.name` of the resource. @default 'otelkit-test' */
  serviceName?: string;
  /** A sampler; every span is sampled by default. */
  sampler?: Sampler;
  /** Extra span processors, after the in-memory one. */
  spanProcessors?: SpanProcessor[];
  /** Metric temporality of `collectMetrics()`. @default AggregationTemporality.CUMULATIVE */
  temporality?: AggregationTemporality;
}

/** A finished span with its children, as `spanTree()` returns them. */
export interface SpanNode {
  readonly span: ReadableSpan;
  readonly children: SpanNode[];
}

/**
 * Real SDK providers with in-memory exporters, registered globally for a test:
 * the accessors of `setup()`'s `Telemetry`, and readers of what was recorded.
 */
export interface TestTelemetry extends Omit<Telemetry, 'config'> {
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** The first finished span with this name. */
  findSpan(name: string): ReadableSpan | undefined;
  /** Finished spans as trees: roots are spans whose parent is not among them. */
  spanTree(): SpanNode[];
  /** Emitted log records, in order. */
  logs(): ReadableLogRecord[];
  /** Collects every metric recorded so far. */
  collectMetrics(): Promise<MetricData[]>;
  /** Collects and returns the metric with this name. */
  findMetric(name: string): Promise<MetricData | undefined>;
  /** Forgets finished spans and log records. */
  reset(): void;
  /** Shuts the providers down and unregisters every global, so the next test starts clean. */
  shutdown(): Promise<void>;
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
}

class ManualReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Registers real OpenTelemetry SDK providers whose spans and log records are
 * exported synchronously to memory, and whose metrics are read on demand.
 * Replaces whatever providers were registered before.
 *
 * @example
 * const telemetry = createTestTelemetry();
 * afterEach(() => telemetry.shutdown());
 * // ... run code ...
 * expect(telemetry.findSpan('GET /users/:id')?.attributes['http.route']).toBe('/users/:id');
 */
export function createTestTelemetry(options: TestTelemetryOptions = {}): TestTelemetry {
  const resource = resourceFromAttributes({
    'service.name': options.serviceName ?? 'otelkit-test',
  });
  const spanExporter = new InMemorySpanExporter();
  const logExporter = new InMemoryLogRecordExporter();
  const temporality = options.temporality ?? AggregationTemporality.CUMULATIVE;
  const reader = new ManualReader({ aggregationTemporalitySelector: () => temporality });

  const tracerProvider = new TracerProvider({
    resource,
    sampler: new ContextAttributesSampler(
      options.sampler ?? new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    ),
    spanProcessors: [
      new SimpleSpanProcessor({ exporter: spanExporter }),
      ...(options.spanProcessors ?? []),
    ],
  });
  const meterProvider = new MeterProvider({ resource, readers: [reader] });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
  });

  unregisterGlobals();
  registerGlobals({ tracerProvider, meterProvider, loggerProvider });

  const collectMetrics = async (): Promise<MetricData[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  let stopped: Promise<void> | undefined;
  const serviceName = options.serviceName ?? 'otelkit-test';

  const telemetry: TestTelemetry = {
    resource,
    tracerProvider,
    meterProvider,
    loggerProvider,
    tracer: (name = serviceName, version) => tracerProvider.getTracer(name, version),
    meter: (name = serviceName, version) => meterProvider.getMeter(name, version),
    logger: (name = serviceName, version) => loggerProvider.getLogger(name, version),
    async forceFlush() {
      await Promise.all([
        tracerProvider.forceFlush(),
        meterProvider.forceFlush(),
        loggerProvider.forceFlush(),
      ]);
    },
    spans: () => spanExporter.getFinishedSpans(),
    findSpan: (name) => spanExporter.getFinishedSpans().find((span) => span.name === name),
    spanTree: () => buildTree(spanExporter.getFinishedSpans()),
    logs: () => logExporter.getFinishedLogRecords(),
    collectMetrics,
    findMetric: async (name) =>
      (await collectMetrics()).find((metric) => metric.descriptor.name === name),
    reset() {
      spanExporter.reset();
      logExporter.reset();
    },
    shutdown() {
      stopped ??= Promise.allSettled([
        tracerProvider.shutdown(),
        meterProvider.shutdown(),
        loggerProvider.shutdown(),
      ]).then(unregisterGlobals);
      return stopped;
    },
    [Symbol.asyncDispose]: () => telemetry.shutdown(),
  };
  return telemetry;
}

function buildTree(spans: ReadableSpan[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) nodes.set(span.spanContext().spanId, { span, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanContext?.spanId;
    const parent = parentId === undefined ? undefined : nodes.get(parentId);
    (parent ? parent.children : roots).push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) =>
    a.span.startTime[0] - b.span.startTime[0] || a.span.startTime[1] - b.span.startTime[1];
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}
