import { randomBytes } from 'node:crypto';
import { loadOtlpSchema } from '../../packages/viewer/src/receiver/otlp-schema.ts';

/** Options of {@link buildTraceBatch}. */
export interface TraceBatchOptions {
  /** Spans in the batch. */
  spans: number;
  /** Spans per trace. */
  spansPerTrace: number;
  /** Base time of the first span, in milliseconds since the epoch. */
  startMs: number;
  /** `service.name` of the batch's resource. */
  service?: string;
  /** Adds this many milliseconds to the duration of every root span (makes slow traces). */
  extraRootMs?: number;
}

/** A protobuf `ExportTraceServiceRequest` whose trace ids and times can be renewed in place. */
export interface TraceBatch {
  body: Buffer;
  /** Offsets of every trace id in `body` (spans and links). */
  traceIdOffsets: number[];
  /** Offsets and original values of every timestamp (fixed64, little-endian) in `body`. */
  times: { offset: number; ns: bigint }[];
}

const attr = (key: string, value: Record<string, unknown>) => ({ key, value });

/**
 * Builds a realistic batch: HTTP-ish spans with ten attributes, some events and links; the first
 * half of each trace from the batch's service, the second half from a database service it calls
 * (so the service map has calls to count); one span in fifty fails with an exception.
 */
export function buildTraceBatch(options: TraceBatchOptions): TraceBatch {
  const schema = loadOtlpSchema();
  const traceIds: Buffer[] = [];
  const timestamps: bigint[] = [];
  const spans: Record<string, unknown>[] = [];
  let parents: Buffer[] = [];
  for (let i = 0; i < options.spans; i++) {
    const index = i % options.spansPerTrace;
    if (index === 0) {
      traceIds.push(randomBytes(16));
      parents = [];
    }
    const traceId = traceIds.at(-1)!;
    const spanId = randomBytes(8);
    const startNs = BigInt(options.startMs + i) * 1_000_000n + BigInt(index) * 1000n;
    const endNs =
      startNs +
      BigInt(1_000_000 + i * 997) +
      (index === 0 ? BigInt(options.extraRootMs ?? 0) * 1_000_000n : 0n);
    timestamps.push(startNs, endNs);
    if (i % 50 === 0) timestamps.push(startNs + 500n);
    spans.push({
      traceId,
      spanId,
      parentSpanId: index === 0 ? undefined : parents[Math.floor((index - 1) / 2)],
      name: index === 0 ? 'GET /users/:id' : `db.query ${index}`,
      kind: index === 0 ? 2 : 3,
      startTimeUnixNano: startNs.toString(),
      endTimeUnixNano: endNs.toString(),
      attributes: [
        attr('http.request.method', { stringValue: 'GET' }),
        attr('http.route', { stringValue: '/users/:id' }),
        attr('http.response.status_code', { intValue: 200 }),
        attr('url.full', { stringValue: `https://api.example.test/users/${i}?expand=orders` }),
        attr('server.address', { stringValue: 'api.example.test' }),
        attr('server.port', { intValue: 443 }),
        attr('user_agent.original', { stringValue: 'Mozilla/5.0 (X11; Linux x86_64) bench' }),
        attr('cache.hit', { boolValue: i % 3 === 0 }),
        attr('db.rows', { doubleValue: i / 7 }),
        attr('tags', { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } }),
      ],
      events:
        i % 50 === 0
          ? [
              {
                timeUnixNano: (startNs + 500n).toString(),
                name: 'exception',
                attributes: [
                  attr('exception.type', {
                    stringValue: ['TimeoutError', 'DatabaseError', 'ValidationError'][(i / 50) % 3],
                  }),
                  attr('exception.message', { stringValue: `query ${i} timed out` }),
                ],
              },
            ]
          : [],
      links: i % 50 === 1 ? [{ traceId: traceIds[0], spanId: randomBytes(8) }] : [],
      status: { code: i % 50 === 0 ? 2 : 0, message: i % 50 === 0 ? 'query timed out' : '' },
    });
    parents.push(spanId);
  }
  const service = options.service ?? 'bench-api';
  const resource = (name: string) => ({
    attributes: [
      attr('service.name', { stringValue: name }),
      attr('service.version', { stringValue: '1.2.3' }),
      attr('telemetry.sdk.name', { stringValue: 'opentelemetry' }),
      attr('telemetry.sdk.language', { stringValue: 'nodejs' }),
      attr('host.name', { stringValue: 'bench-host' }),
      attr('process.pid', { intValue: 4242 }),
    ],
  });
  const half = Math.ceil(options.spansPerTrace / 2);
  const callee = spans.filter((_, i) => i % options.spansPerTrace >= half);
  const request = schema.traces.request.fromObject({
    resourceSpans: [
      {
        resource: resource(service),
        scopeSpans: [
          {
            scope: { name: 'bench', version: '1.0.0' },
            spans: spans.filter((_, i) => i % options.spansPerTrace < half),
          },
        ],
      },
      ...(callee.length > 0
        ? [
            {
              resource: resource(`${service}-db`),
              scopeSpans: [{ scope: { name: 'bench', version: '1.0.0' }, spans: callee }],
            },
          ]
        : []),
    ],
  });
  const body = Buffer.from(schema.traces.request.encode(request).finish());
  const traceIdOffsets: number[] = [];
  for (const id of traceIds) {
    for (let at = body.indexOf(id); at !== -1; at = body.indexOf(id, at + 1)) {
      traceIdOffsets.push(at);
    }
  }
  const times: TraceBatch['times'] = [];
  const encoded = Buffer.alloc(8);
  for (const ns of timestamps) {
    encoded.writeBigUInt64LE(ns);
    const offset = body.indexOf(encoded);
    if (offset !== -1) times.push({ offset, ns });
  }
  return { body, traceIdOffsets, times };
}

/** Moves every timestamp of the batch by `shiftNs` (so that batches sent later start later). */
export function shiftTimes(batch: TraceBatch, shiftNs: bigint): void {
  for (const { offset, ns } of batch.times) batch.body.writeBigUInt64LE(ns + shiftNs, offset);
}

/** Gives every trace of the batch fresh ids, keeping the spans of a trace together. */
export function renewTraceIds(batch: TraceBatch, sequence: number): void {
  for (const offset of batch.traceIdOffsets) {
    // The first 8 bytes of each trace id become the sequence; the rest keeps traces distinct.
    batch.body.writeBigUInt64BE(BigInt(sequence) + 1n, offset);
  }
}
