import { describe, expect, it } from 'vitest';
import { FailureReporter } from './failure-reporter.ts';

function reporter() {
  const messages: string[] = [];
  let now = 0;
  const target = {
    item: 'span',
    items: 'spans',
    url: 'http://collector:4318/v1/traces',
    maxRetryTimeMs: 60_000,
    maxQueueBytes: 8_388_608,
  };
  const instance = new FailureReporter(
    target,
    (m) => messages.push(m),
    () => now,
  );
  return { instance, messages, advance: (ms: number) => (now += ms) };
}

describe('FailureReporter', () => {
  it('warns at the first failure with the endpoint, the reason and what happens next', () => {
    const { instance, messages } = reporter();
    instance.attemptFailed('connection refused', true, 120);
    expect(messages).toEqual([
      'otelkit: exporting 120 spans to http://collector:4318/v1/traces failed: connection refused; ' +
        'retrying for up to 60 s; new spans queue meanwhile, up to 8388608 bytes',
    ]);
  });

  it('then says nothing more for a minute, then sums up, then says when export works again', () => {
    const { instance, messages, advance } = reporter();
    instance.attemptFailed('HTTP 503', true, 10);
    for (let i = 0; i < 5; i++) {
      advance(10_000);
      instance.attemptFailed('HTTP 503', true, 10);
      instance.lost(10, 'HTTP 503');
    }
    expect(messages).toHaveLength(1);
    advance(10_000);
    instance.attemptFailed('timeout after 10000 ms', true, 10);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toBe(
      'otelkit: exporting spans to http://collector:4318/v1/traces still failing (timeout after 10000 ms): ' +
        '6 failed attempts, 50 spans lost (HTTP 503) in the last 60 s',
    );
    advance(5000);
    instance.succeeded();
    expect(messages[2]).toBe(
      'otelkit: exporting spans to http://collector:4318/v1/traces works again after 65 s of failures; ' +
        '50 spans lost meanwhile',
    );
    instance.succeeded();
    expect(messages).toHaveLength(3);
  });

  it('counts one of a kind in the singular', () => {
    const { instance, messages, advance } = reporter();
    instance.attemptFailed('HTTP 503', true, 1);
    advance(60_000);
    instance.attemptFailed('HTTP 503', true, 1);
    expect(messages[0]).toContain('exporting 1 span to');
    expect(messages[1]).toContain(': 1 failed attempt in the last 60 s');
  });

  it('warns once when the queue starts dropping, then at most once a minute', () => {
    const { instance, messages, advance } = reporter();
    instance.lost(1, 'the export queue is full (maxQueueBytes 8388608)');
    for (let i = 0; i < 100; i++)
      instance.lost(1, 'the export queue is full (maxQueueBytes 8388608)');
    expect(messages).toEqual([
      'otelkit: dropped 1 span bound for http://collector:4318/v1/traces: the export queue is full (maxQueueBytes 8388608)',
    ]);
    advance(60_000);
    instance.lost(1, 'the export queue is full (maxQueueBytes 8388608)');
    expect(messages[1]).toBe(
      'otelkit: exporting spans to http://collector:4318/v1/traces still drops spans: ' +
        '101 spans lost (the export queue is full (maxQueueBytes 8388608)) in the last 60 s',
    );
  });
});
