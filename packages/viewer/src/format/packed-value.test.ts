import { describe, expect, it } from 'vitest';
import { packList } from '../receiver/any-value.ts';
import { loadOtlpSchema } from '../receiver/otlp-schema.ts';
import { unpackList } from './packed-value.ts';

// Decodes OTLP/JSON attributes through the real schema, as the receiver does.
function decodeAttributes(attributes: unknown[]) {
  const type = loadOtlpSchema().traces.request;
  const request = type.fromObject({ resourceSpans: [{ resource: { attributes } }] }) as unknown as {
    resourceSpans: { resource: { attributes: Parameters<typeof packList>[0] } }[];
  };
  return request.resourceSpans[0]!.resource.attributes;
}

describe('the packed attribute form', () => {
  it('round-trips every AnyValue type to OTLP/JSON', () => {
    const attributes = [
      { key: 's', value: { stringValue: '' } },
      { key: 'b', value: { boolValue: false } },
      { key: 'i', value: { intValue: '0' } },
      { key: 'big', value: { intValue: '-9223372036854775808' } },
      { key: 'd', value: { doubleValue: 3 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'inf', value: { doubleValue: '-Infinity' } },
      { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }] } } },
      { key: 'k', value: { kvlistValue: { values: [{ key: 'n', value: { doubleValue: 0.5 } }] } } },
      { key: 'y', value: { bytesValue: 'AAE=' } },
      { key: 'none', value: {} },
    ];
    const packed = packList(decodeAttributes(attributes));
    expect(unpackList(JSON.parse(JSON.stringify(packed)))).toEqual(attributes);
  });

  it('is smaller than OTLP/JSON', () => {
    const attributes = [
      { key: 'http.request.method', value: { stringValue: 'GET' } },
      { key: 'http.response.status_code', value: { intValue: '200' } },
    ];
    const packed = JSON.stringify(packList(decodeAttributes(attributes)));
    expect(packed).toBe('["http.request.method","GET","http.response.status_code",200]');
    expect(packed.length).toBeLessThan(JSON.stringify(attributes).length / 2);
  });
});
