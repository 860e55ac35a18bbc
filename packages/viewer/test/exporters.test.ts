import {
  type Attributes,
  context,
  type HrTime,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanView, Viewer } from '../src/index.ts';
import { getJson, startTestViewer } from './support.ts';

let viewer: Viewer;
afterEach(() => viewer?.close());

const attributes: Attributes = {
  'str.attr': 'hello',
  'int.attr': 42,
  'double.attr': 1.5,
  'bool.attr': true,
  'str.array': ['a', 'b'],
  'int.array': [1, 2, 3],
  'bool.array': [true, false],
  'double.array': [0.5, 2.25],
};

const expectedAttributes = [
  { key: 'str.attr', value: { stringValue: 'hello' } },
  { key: 'int.attr', value: { intValue: '42' } },
  { key: 'double.attr', value: { doubleValue: 1.5 } },
  { key: 'bool.attr', value: { boolValue: true } },
  {
    key: 'str.array',
    value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } },
  },
  {
    key: 'int.array',
    value: { arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }, { intValue: '3' }] } },
  },
  {
    key: 'bool.array',
    value: { arrayValue: { values: [{ boolValue: true }, { boolValue: false }] } },
  },
  {
    key: 'double.array',
    value: { arrayValue: { values: [{ doubleValue: 0.5 }, { doubleValue: 2.25 }] } },
  },
];

const nanos = (time: HrTime) => (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();

/** Emits a small trace with every field set, through `exporter`, and returns what the SDK saw. */
async function emitTrace(exporter: ProtoExporter | HttpJsonExporter): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '2.0.1' }),
    spanProcessors: [
      new SimpleSpanProcessor({ exporter: memory }),
      new SimpleSpanProcessor({ exporter }),
    ],
  });
  const tracer = provider.getTracer('exporter-test', '1.2.3');
  const linked = tracer.startSpan('linked work');
  linked.end();
  const root = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, attributes });
  const child = tracer.startSpan(
    'charge card',
    {
      kind: SpanKind.CLIENT,
      links: [{ context: linked.spanContext(), attributes: { 'link.reason': 'batch' } }],
    },
    trace.setSpan(context.active(), root),
  );
  child.addEvent('retrying', { attempt: 2 });
  child.recordException(new TypeError('card declined'));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'payment failed' });
  child.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  await provider.forceFlush();
  const finished = memory.getFinishedSpans();
  await provider.shutdown();
  return finished;
}

function expectSameSpan(stored: SpanView, sdk: ReadableSpan): void {
  expect(stored.traceId).toBe(sdk.spanContext().traceId);
  expect(stored.spanId).toBe(sdk.spanContext().spanId);
  expect(stored.parentSpanId).toBe(sdk.parentSpanContext?.spanId ?? '');
  expect(stored.name).toBe(sdk.name);
  expect(stored.kind).toBe(sdk.kind + 1); // the JS API counts kinds from INTERNAL = 0, OTLP from 1
  expect(stored.startTimeUnixNano).toBe(nanos(sdk.startTime));
  expect(stored.endTimeUnixNano).toBe(nanos(sdk.endTime));
  expect(stored.status.code).toBe(sdk.status.code);
  expect(stored.status.message).toBe(sdk.status.message ?? '');
  expect(stored.events.map((e) => [e.name, e.timeUnixNano])).toEqual(
    sdk.events.map((e) => [e.name, nanos(e.time)]),
  );
  expect(stored.links.map((l) => [l.traceId, l.spanId])).toEqual(
    sdk.links.map((l) => [l.context.traceId, l.context.spanId]),
  );
  expect(stored.resource.attributes).toEqual(
    expect.arrayContaining([
      { key: 'service.name', value: { stringValue: 'checkout' } },
      { key: 'service.version', value: { stringValue: '2.0.1' } },
    ]),
  );
  expect(stored.scope).toMatchObject({ name: 'exporter-test', version: '1.2.3' });
  expect(stored.service).toBe('checkout');
}

describe.each([
  ['protobuf', (url: string) => new ProtoExporter({ url })],
  ['JSON', (url: string) => new HttpJsonExporter({ url })],
])('spans exported as OTLP/%s by the SDK', (_format, createExporter) => {
  it('are read back through the API with every field intact', async () => {
    viewer = await startTestViewer();
    const sdkSpans = await emitTrace(createExporter(`${viewer.url}/v1/traces`));
    const root = sdkSpans.find((s) => s.name === 'POST /checkout')!;
    const traceId = root.spanContext().traceId;
    const { spans } = await getJson<{ spans: SpanView[] }>(viewer, `/api/traces/${traceId}`);
    expect(spans).toHaveLength(2);
    for (const stored of spans) {
      expectSameSpan(stored, sdkSpans.find((s) => s.spanContext().spanId === stored.spanId)!);
    }
    const storedRoot = spans.find((s) => s.parentSpanId === '')!;
    expect(storedRoot.attributes).toEqual(expectedAttributes);
    const child = spans.find((s) => s.parentSpanId !== '')!;
    expect(child.links[0]!.attributes).toEqual([
      { key: 'link.reason', value: { stringValue: 'batch' } },
    ]);
    expect(child.events[0]!.attributes).toEqual([{ key: 'attempt', value: { intValue: '2' } }]);
    expect(child.events[1]!.attributes).toEqual(
      expect.arrayContaining([
        { key: 'exception.type', value: { stringValue: 'TypeError' } },
        { key: 'exception.message', value: { stringValue: 'card declined' } },
      ]),
    );
    const list = await getJson<{ traces: { traceId: string }[] }>(viewer, '/api/traces');
    expect(list.traces.map((t) => t.traceId)).toContain(traceId);
  });
});
