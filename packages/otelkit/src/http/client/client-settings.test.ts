import { describe, expect, it } from 'vitest';
import { ClientSettings } from './client-settings.ts';
import { DEFAULT_MAX_CLIENT_SPAN_MS, type HttpClientOptions } from './http-client-options.ts';

const settings = (options: unknown) => new ClientSettings(options as HttpClientOptions);

describe('ClientSettings', () => {
  it('defaults to five minutes per span, no captured header, nothing ignored', () => {
    const compiled = settings({});
    expect(compiled.maxClientSpanMs).toBe(DEFAULT_MAX_CLIENT_SPAN_MS);
    expect(DEFAULT_MAX_CLIENT_SPAN_MS).toBe(5 * 60 * 1000);
    expect(compiled.captured).toEqual([]);
    expect(compiled.ignoresAny).toBe(false);
  });

  it.each([
    [{ maxClientSpanMs: 0 }, /maxClientSpanMs.*got 0/],
    [{ maxClientSpanMs: Number.NaN }, /maxClientSpanMs.*got NaN/],
    [{ maxClientSpanMs: '5000' }, /maxClientSpanMs.*got "5000"/],
    [{ maxClientSpanMs: 2 ** 31 }, /maxClientSpanMs.*got 2147483648/],
    [{ captureHeaders: 'x-tenant' }, /captureHeaders.*got "x-tenant"/],
    [{ captureHeaders: ['x-tenant', 7] }, /captureHeaders.*got \["x-tenant", 7\]/],
    [{ ignore: '/healthz' }, /ignore must be an array or a function, got "\/healthz"/],
    [{ ignore: ['healthz'] }, /ignore rule.*got "healthz"/],
    [{ ignore: ['https://api.example.com/v1'] }, /got "https:\/\/api\.example\.com\/v1"/],
    [{ ignore: ['ftp://files.example.com'] }, /got "ftp:\/\/files\.example\.com"/],
    [{ ignore: [42] }, /got 42/],
    [null, /options must be an object, got null/],
  ])('refuses %o, naming the value', (options, message) => {
    expect(() => settings(options)).toThrow(message);
  });

  it('matches origins (default port or not), paths without the query, patterns on the URL', () => {
    const compiled = settings({
      ignore: [
        'https://metrics.internal:443',
        'http://127.0.0.1:9090/',
        '/healthz',
        /\/v\d\/ping$/,
      ],
    });
    const ignored = (origin: string, target: string) =>
      compiled.isIgnored('GET', origin, target, origin + target);
    expect(ignored('https://metrics.internal', '/anything')).toBe(true);
    expect(ignored('http://127.0.0.1:9090', '/metrics')).toBe(true);
    expect(ignored('http://127.0.0.1:9091', '/metrics')).toBe(false);
    expect(ignored('https://api.example.com', '/healthz?deep=1')).toBe(true);
    expect(ignored('https://api.example.com', '/healthz/db')).toBe(false);
    expect(ignored('https://api.example.com', '/v2/ping')).toBe(true);
    expect(ignored('https://api.example.com', '/v2/ping?x=1')).toBe(false);
  });

  it('gives the predicate method, path and URL; a throwing predicate ignores nothing', () => {
    const seen: unknown[] = [];
    const compiled = settings({
      ignore: (request: unknown) => {
        seen.push(request);
        throw new Error('predicate bug');
      },
    });
    expect(compiled.isIgnored('POST', 'http://a.test', '/x?y=1', 'http://a.test/x?y=1')).toBe(
      false,
    );
    expect(seen).toEqual([{ method: 'POST', path: '/x', url: 'http://a.test/x?y=1' }]);
  });

  it('never captures credential headers, whatever the case', () => {
    const compiled = settings({
      captureHeaders: ['X-Tenant', 'Authorization', 'cookie', 'x-tenant'],
    });
    expect(compiled.captured).toEqual([
      { name: 'x-tenant', attribute: 'http.request.header.x-tenant' },
    ]);
  });
});
