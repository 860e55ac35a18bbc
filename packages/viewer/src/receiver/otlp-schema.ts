import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The OTLP request and response messages of one signal. */
export interface SignalSchema {
  request: protobuf.Type;
  response: protobuf.Type;
}

/**
 * The decoded OTLP schema: one request/response pair per signal, `google.rpc.Status`, and the
 * messages an export is read item by item with.
 */
export interface OtlpSchema {
  traces: SignalSchema;
  logs: SignalSchema;
  metrics: SignalSchema;
  status: protobuf.Type;
  resource: protobuf.Type;
  scope: protobuf.Type;
  span: protobuf.Type;
  logRecord: protobuf.Type;
  /** A metric's `data` and its data points with it, for reading a metric without its points. */
  metric: protobuf.Type;
  /** The data point message of each metric type (`gauge`, `sum`, `histogram`, …). */
  points: Record<string, protobuf.Type>;
}

// `proto/` sits at the package root; this file is two levels below it in both src/ and dist/.
const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

const serviceFiles = ['trace', 'logs', 'metrics'].map(
  (signal) => `opentelemetry/proto/collector/${signal}/v1/${signal}_service.proto`,
);

let cached: OtlpSchema | undefined;

/** Loads the vendored official OTLP `.proto` files once and returns the message types. */
export function loadOtlpSchema(): OtlpSchema {
  if (cached) return cached;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => protoDir + target;
  root.loadSync(serviceFiles);
  root.add(rpcStatusType());
  root.resolveAll();
  const pair = (pkg: string, name: string): SignalSchema => ({
    request: root.lookupType(`opentelemetry.proto.collector.${pkg}.v1.Export${name}ServiceRequest`),
    response: root.lookupType(
      `opentelemetry.proto.collector.${pkg}.v1.Export${name}ServiceResponse`,
    ),
  });
  const metricType = (name: string) => root.lookupType(`opentelemetry.proto.metrics.v1.${name}`);
  cached = {
    traces: pair('trace', 'Trace'),
    logs: pair('logs', 'Logs'),
    metrics: pair('metrics', 'Metrics'),
    status: root.lookupType('google.rpc.Status'),
    resource: root.lookupType('opentelemetry.proto.resource.v1.Resource'),
    scope: root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope'),
    span: root.lookupType('opentelemetry.proto.trace.v1.Span'),
    logRecord: root.lookupType('opentelemetry.proto.logs.v1.LogRecord'),
    metric: root.lookupType('opentelemetry.proto.metrics.v1.Metric'),
    points: {
      gauge: metricType('NumberDataPoint'),
      sum: metricType('NumberDataPoint'),
      histogram: metricType('HistogramDataPoint'),
      exponentialHistogram: metricType('ExponentialHistogramDataPoint'),
      summary: metricType('SummaryDataPoint'),
    },
  };
  return cached;
}

// `google.rpc.Status` (googleapis, Apache-2.0) is the error body OTLP/HTTP prescribes. Its
// `details` (repeated google.protobuf.Any) are omitted: the viewer never sends any.
function rpcStatusType(): protobuf.Namespace {
  const status = new protobuf.Type('Status')
    .add(new protobuf.Field('code', 1, 'int32'))
    .add(new protobuf.Field('message', 2, 'string'));
  return new protobuf.Namespace('google').add(new protobuf.Namespace('rpc').add(status));
}
