import { ROOT_CONTEXT, SamplingDecision } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanLimits,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { requestId, tenantId, userId } from './context-key.ts';
import {
  ContextAttributesSampler,
  getInheritedAttributes,
  setInheritedAttributes,
} from './span-attributes.ts';

/** A tracer provider built by hand, with span limits, as a user might. */
function provider(spanLimits: SpanLimits = {}) {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanLimits,
    sampler: new ContextAttributesSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() })),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  return { tracer: tracerProvider.getTracer('test'), spans: () => exporter.getFinishedSpans() };
}

const keyed = tenantId.set(userId.set(requestId.set(ROOT_CONTEXT, 'req-1'), 'u-1'), 'acme');

describe('ContextAttributesSampler', () => {
  it('adds nothing when no key is set', () => {
    const { tracer, spans } = provider();
    tracer.startSpan('plain', {}, ROOT_CONTEXT).end();
    expect(spans()[0]?.attributes).toEqual({});
  });

  it('adds the inherited attributes to a span with and without its own', () => {
    const { tracer, spans } = provider();
    tracer.startSpan('bare', {}, keyed).end();
    tracer
      .startSpan('own', { attributes: { 'http.route': '/x', 'tenant.id': 'explicit' } }, keyed)
      .end();
    const [bare, own] = spans();
    expect(bare?.attributes).toEqual({
      'request.id': 'req-1',
      'user.id': 'u-1',
      'tenant.id': 'acme',
    });
    // The sampler's attributes are applied over the span's own start attributes.
    expect(own?.attributes).toEqual({
      'http.route': '/x',
      'tenant.id': 'acme',
      'request.id': 'req-1',
      'user.id': 'u-1',
    });
  });

  it('keeps the attribute count, so later attributes respect the count limit', () => {
    const { tracer, spans } = provider({ attributeCountLimit: 4 });
    const span = tracer.startSpan('limited', {}, keyed);
    span.setAttribute('fourth', 4);
    span.setAttribute('fifth', 5);
    span.end();
    expect(Object.keys(spans()[0]?.attributes ?? {})).toHaveLength(4);
    expect(spans()[0]?.droppedAttributesCount).toBe(1);
  });

  it('applies the SDK limits when they could bite', () => {
    const { tracer, spans } = provider({ attributeCountLimit: 2, attributeValueLengthLimit: 3 });
    tracer.startSpan('tight', {}, keyed).end();
    const [span] = spans();
    expect(Object.keys(span?.attributes ?? {})).toHaveLength(2);
    expect(span?.droppedAttributesCount).toBe(1);
    expect(span?.attributes['request.id']).toBe('req');
  });

  it('adds nothing to a span the wrapped sampler drops, and keeps its decision', () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({
      sampler: new ContextAttributesSampler(new AlwaysOffSampler()),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const span = tracerProvider.getTracer('test').startSpan('dropped', {}, keyed);
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('keeps the attributes of the wrapped sampler', () => {
    const inner: Sampler = {
      shouldSample: () => ({
        decision: SamplingDecision.RECORD_AND_SAMPLED,
        attributes: { 'sampler.rule': 'vip', 'tenant.id': 'from-sampler' },
      }),
    };
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({
      sampler: new ContextAttributesSampler(inner),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    tracerProvider.getTracer('test').startSpan('vip', {}, keyed).end();
    expect(exporter.getFinishedSpans()[0]?.attributes).toEqual({
      'request.id': 'req-1',
      'user.id': 'u-1',
      'tenant.id': 'from-sampler',
      'sampler.rule': 'vip',
    });
  });

  it('hands values that are not scalars to the SDK to validate and copy', () => {
    const { tracer, spans } = provider();
    const roles = ['admin', 'billing'];
    const ctx = setInheritedAttributes(ROOT_CONTEXT, { 'user.roles': roles, skipped: undefined });
    tracer.startSpan('roles', {}, ctx).end();
    roles.push('mutated later');
    expect(spans()[0]?.attributes).toEqual({ 'user.roles': ['admin', 'billing'] });
  });

  it('merges once per context, whatever the number of spans started in it', () => {
    const ctx = requestId.set(setInheritedAttributes(ROOT_CONTEXT, { 'job.name': 'sync' }), 'r-2');
    const first = getInheritedAttributes(ctx);
    expect(getInheritedAttributes(ctx)).toBe(first);
    expect(first).toEqual({ 'job.name': 'sync', 'request.id': 'r-2' });
  });
});
