import { describe, expect, it } from 'vitest';
import { fullUrl, targetOfHost, targetOfOrigin } from './outgoing-target.ts';

describe('targetOfOrigin', () => {
  it('names the server of an undici origin, the port explicit or the scheme default', () => {
    expect(targetOfOrigin('https://api.example.com')).toEqual({
      origin: 'https://api.example.com',
      address: 'api.example.com',
      port: 443,
    });
    expect(targetOfOrigin('http://[::1]:8080')).toEqual({
      origin: 'http://[::1]:8080',
      address: '::1',
      port: 8080,
    });
    expect(targetOfOrigin('not a url')).toBeUndefined();
  });
});

describe('targetOfHost', () => {
  it('takes the port from the Host header Node writes for the host', () => {
    expect(targetOfHost('http:', '127.0.0.1', '127.0.0.1:3000')).toEqual({
      origin: 'http://127.0.0.1:3000',
      address: '127.0.0.1',
      port: 3000,
    });
    expect(targetOfHost('https:', 'api.example.com', 'api.example.com')).toEqual({
      origin: 'https://api.example.com',
      address: 'api.example.com',
      port: 443,
    });
    expect(targetOfHost('http:', '::1', '[::1]:8080')).toEqual({
      origin: 'http://[::1]:8080',
      address: '::1',
      port: 8080,
    });
  });

  it('leaves the port to the socket when the caller named another host', () => {
    expect(targetOfHost('http:', '10.0.0.7', 'virtual.example.com:8080')).toEqual({
      origin: 'http://10.0.0.7',
      address: '10.0.0.7',
      port: undefined,
    });
  });
});

describe('fullUrl', () => {
  it('keeps the path and redacts only sensitive query values', () => {
    expect(fullUrl('https://a.test', '/v1/x')).toBe('https://a.test/v1/x');
    expect(fullUrl('https://a.test', '/v1/x?q=1&token=t0k&sig=abc')).toBe(
      'https://a.test/v1/x?q=1&token=REDACTED&sig=REDACTED',
    );
  });
});
