import {
  type Attributes,
  type AttributeValue,
  createTraceState,
  type HrTime,
  type SpanContext,
} from '@opentelemetry/api';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import type { Scope } from '../origin-encoder.ts';

/** Property runs: a fixed seed and 1,000 cases; `OTELKIT_PROPERTY_RUNS` / `_SEED` ask for another run. */
export const propertyParameters = {
  numRuns: Number(process.env.OTELKIT_PROPERTY_RUNS ?? 1000),
  seed: Number(process.env.OTELKIT_PROPERTY_SEED ?? 20_260_101),
};

/** Any UTF-16 string: code units picked freely, so lone surrogates too, and the empty string. */
const codeUnits = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 })
  .map((units) => String.fromCharCode(...units));
export const anyString = fc.oneof(
  fc.constant(''),
  fc.string(),
  fc.string({ unit: 'binary' }),
  codeUnits,
  fc.string({ minLength: 120, maxLength: 300 }),
);

/** Integers on both sides of 2^31, 2^32, 2^53 and 2^63, negatives too. */
const integer = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(
    0,
    2 ** 31,
    2 ** 32,
    2 ** 32 + 1,
    -(2 ** 31) - 1,
    2 ** 53,
    2 ** 62,
    2 ** 63 - 1024,
    2 ** 63,
    -(2 ** 63),
    -(2 ** 63) - 4096,
    1e300,
  ),
);
/** Doubles, NaN, ±Infinity and -0 included. */
const double = fc.double();
const scalar = fc.oneof(anyString, fc.boolean(), integer, double);
const withNulls = <T>(item: fc.Arbitrary<T>) =>
  fc.array(fc.oneof({ weight: 4, arbitrary: item }, fc.constant(null), fc.constant(undefined)), {
    maxLength: 5,
  });
const homogeneousArray = fc.oneof(
  withNulls(anyString),
  withNulls(fc.boolean()),
  withNulls(integer),
  withNulls(double),
);
const bytes = fc.uint8Array({ maxLength: 40 });

/** Any OTLP `AnyValue`: scalars, bytes, null, nested arrays and maps. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    bytes,
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Attributes of every value type a span, event, link, scope or resource may carry. */
export const attributes = fc.dictionary(
  anyString,
  fc.oneof(scalar, homogeneousArray, bytes, anyValue) as fc.Arbitrary<AttributeValue>,
  { maxKeys: 6 },
) as fc.Arbitrary<Attributes>;

const hex = (length: number) =>
  fc
    .uint8Array({ minLength: length, maxLength: length })
    .map((b) => Buffer.from(b).toString('hex'));
const hrTime: fc.Arbitrary<HrTime> = fc.tuple(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  fc.integer({ min: 0, max: 999_999_999 }),
);
const traceState = fc.option(
  fc
    .array(
      fc.tuple(
        fc.stringMatching(/^[a-z][a-z0-9_*/-]{0,8}$/),
        fc.stringMatching(/^[!-+\--<>-~]{1,8}$/),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((entries) => createTraceState(entries.map(([k, v]) => `${k}=${v}`).join(','))),
  { nil: undefined },
);
const spanContext: fc.Arbitrary<SpanContext> = fc.record(
  {
    traceId: hex(16),
    spanId: hex(8),
    traceFlags: fc.integer({ min: 0, max: 255 }),
    traceState,
    isRemote: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['traceId', 'spanId', 'traceFlags'] },
);
const dropped = fc.oneof(fc.constant(0), fc.nat({ max: 2 ** 31 }));

/** Resources: attributes of every type and an optional schema URL. */
export const resource: fc.Arbitrary<Resource> = fc
  .record({ attributes, schemaUrl: fc.option(anyString, { nil: undefined }) })
  .map(({ attributes, schemaUrl }) =>
    resourceFromAttributes(attributes, schemaUrl === undefined ? {} : { schemaUrl }),
  );

/** Instrumentation scopes: name, version, schema URL, attributes and their dropped count. */
export const scope: fc.Arbitrary<Scope> = fc.record(
  {
    name: anyString,
    version: anyString,
    schemaUrl: anyString,
    attributes,
    droppedAttributesCount: dropped,
  },
  { requiredKeys: ['name'] },
);

/** Spans of every shape the public `ReadableSpan` allows, sharing the given resources and scopes. */
export function spans(
  resources: readonly Resource[],
  scopes: readonly Scope[],
): fc.Arbitrary<ReadableSpan[]> {
  const span = fc
    .record({
      name: anyString,
      kind: fc.constantFrom(0, 1, 2, 3, 4, undefined),
      context: spanContext,
      parent: fc.option(
        fc.oneof(
          spanContext,
          spanContext.map((c) => ({ ...c, spanId: '' })),
        ),
        { nil: undefined },
      ),
      startTime: hrTime,
      endTime: hrTime,
      status: fc.record(
        { code: fc.constantFrom(0, 1, 2), message: anyString },
        { requiredKeys: ['code'] },
      ),
      attributes,
      links: fc.array(
        fc.record(
          { context: spanContext, attributes, droppedAttributesCount: dropped },
          { requiredKeys: ['context'] },
        ),
        { maxLength: 3 },
      ),
      events: fc.array(
        fc.record(
          { time: hrTime, name: anyString, attributes, droppedAttributesCount: dropped },
          { requiredKeys: ['time', 'name'] },
        ),
        { maxLength: 3 },
      ),
      droppedAttributesCount: dropped,
      droppedEventsCount: dropped,
      droppedLinksCount: dropped,
      resource: fc.nat({ max: resources.length - 1 }),
      scope: fc.nat({ max: scopes.length - 1 }),
    })
    .map(
      (s): ReadableSpan => ({
        name: s.name,
        kind: s.kind as number,
        spanContext: () => s.context,
        parentSpanContext: s.parent,
        startTime: s.startTime,
        endTime: s.endTime,
        status: s.status,
        attributes: s.attributes,
        links: s.links,
        events: s.events,
        duration: [0, 0],
        ended: true,
        resource: resources[s.resource]!,
        instrumentationScope: scopes[s.scope]!,
        droppedAttributesCount: s.droppedAttributesCount,
        droppedEventsCount: s.droppedEventsCount,
        droppedLinksCount: s.droppedLinksCount,
      }),
    );
  return fc.array(span, { minLength: 1, maxLength: 6 });
}

/** Log records of every shape: any body, severity, event name and trace context. */
export function logRecords(
  resources: readonly Resource[],
  scopes: readonly Scope[],
): fc.Arbitrary<ReadableLogRecord[]> {
  const record = fc
    .record(
      {
        hrTime,
        hrTimeObserved: hrTime,
        spanContext: fc.oneof(
          spanContext,
          spanContext.map((c) => ({ ...c, traceFlags: 0 })),
          fc.constant({ traceId: '', spanId: '', traceFlags: 0 }),
        ),
        severityText: anyString,
        severityNumber: fc.integer({ min: 0, max: 24 }),
        body: fc.oneof(anyValue, fc.constant(undefined)),
        eventName: anyString,
        attributes: fc.dictionary(anyString, anyValue, { maxKeys: 5 }),
        droppedAttributesCount: dropped,
        resource: fc.nat({ max: resources.length - 1 }),
        scope: fc.nat({ max: scopes.length - 1 }),
      },
      {
        requiredKeys: [
          'hrTime',
          'hrTimeObserved',
          'attributes',
          'droppedAttributesCount',
          'resource',
          'scope',
        ],
      },
    )
    .map(
      ({ resource, scope, ...rest }) =>
        ({
          ...rest,
          resource: resources[resource]!,
          instrumentationScope: scopes[scope]!,
        }) as ReadableLogRecord,
    );
  return fc.array(record, { minLength: 1, maxLength: 6 });
}

/** Spans or log records with one to two resources and one to three scopes among them. */
export function batchOf<T>(
  items: (resources: readonly Resource[], scopes: readonly Scope[]) => fc.Arbitrary<T[]>,
): fc.Arbitrary<T[]> {
  return fc
    .tuple(
      fc.array(resource, { minLength: 1, maxLength: 2 }),
      fc.array(scope, { minLength: 1, maxLength: 3 }),
    )
    .chain(([resources, scopes]) => items(resources, scopes));
}
