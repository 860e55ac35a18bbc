import { describe, expectTypeOf, it } from 'vitest';
import { counter, gauge, histogram, upDownCounter } from './instruments.ts';

type RouteAttributes = { 'http.route': string; 'http.request.method': 'GET' | 'POST' };

describe('typed instruments', () => {
  it('accept only attributes of their type', () => {
    const requests = counter<RouteAttributes>('requests');
    requests.add(1, { 'http.route': '/users', 'http.request.method': 'GET' });
    // @ts-expect-error a key that is not part of the attribute type
    requests.add(1, { 'http.route': '/users', 'http.request.method': 'GET', extra: 1 });
    // @ts-expect-error a value outside the declared union
    requests.add(1, { 'http.route': '/users', 'http.request.method': 'PUT' });
    // @ts-expect-error a missing required attribute
    requests.add(1, { 'http.route': '/users' });
    // @ts-expect-error attributes are required when the type has required keys
    requests.add(1);
  });

  it('make attributes optional when every key is optional', () => {
    const jobs = upDownCounter<{ 'job.kind'?: string }>('jobs.active');
    jobs.add(1);
    jobs.add(-1, { 'job.kind': 'email' });
    // @ts-expect-error wrong value type
    jobs.add(1, { 'job.kind': 3 });

    const untyped = counter('anything');
    untyped.add(1);
    untyped.add(1, { whatever: 'goes', count: 2 });
  });

  it('give histograms and gauges record, not add', () => {
    const latency = histogram<RouteAttributes>('latency', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.1, 1] },
    });
    latency.record(0.2, { 'http.route': '/', 'http.request.method': 'POST' });
    // @ts-expect-error histograms have no add
    latency.add(1);

    const temperature = gauge<{ room: string }>('temperature');
    temperature.record(21.5, { room: 'lab' });
    expectTypeOf(temperature.record).parameter(0).toEqualTypeOf<number>();
  });

  it('take advice only on histograms', () => {
    // @ts-expect-error counters take no bucket advice
    counter('c', { advice: { explicitBucketBoundaries: [1] } });
  });
});
