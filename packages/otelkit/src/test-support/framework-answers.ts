import { STATUS_CODES } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestTelemetry, type TestTelemetry } from '../testing/index.ts';
import { databaseDown, teapot } from './http-adapter-contract.ts';
import { request } from './http-client.ts';

/** A value a handler throws, and what the test calls it. */
export interface Thrown {
  readonly name: string;
  readonly value: () => unknown;
}

/** What the handlers of `GET /throw/:index` throw. */
export const THROWN: readonly Thrown[] = [
  { name: 'an Error with a cause', value: databaseDown },
  { name: 'an error with statusCode 418', value: teapot },
  {
    name: 'an error with status 404',
    value: () => Object.assign(new Error('no such user'), { status: 404 }),
  },
  {
    name: 'an error with status 400 and expose: false',
    value: () => Object.assign(new Error('secret detail'), { status: 400, expose: false }),
  },
  {
    name: 'an error with statusCode 503',
    value: () => Object.assign(new Error('down for maintenance'), { statusCode: 503 }),
  },
  {
    name: 'an error with status 200',
    value: () => Object.assign(new Error('not an error status'), { status: 200 }),
  },
  // Not errors at all, as JavaScript lets anyone throw.
  { name: 'a string', value: () => 'a string' },
  { name: 'a plain object with statusCode 500', value: () => ({ message: 'x', statusCode: 500 }) },
  { name: 'a plain object with a code', value: () => ({ code: 'E_FOO' }) },
  { name: 'undefined', value: () => undefined },
];

/** One app serving `GET /throw/:index`, each throwing `THROWN[index].value()`. */
export interface ThrowingApp {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Answers as the framework gives them: for each thrown value, the app with
 * otelkit answers with the status the bare app answers with, and the same
 * body below 500; a 5xx gets the safe body instead. The apps throw
 * `thrown` (`THROWN` unless given); `quiet` keeps what they print with
 * `console.error` out of the test output.
 */
export function describeFrameworkAnswers(
  name: string,
  start: (withOtelkit: boolean) => Promise<ThrowingApp>,
  options: { quiet?: boolean; thrown?: readonly Thrown[] } = {},
): void {
  const thrown = options.thrown ?? THROWN;
  describe(`${name}: answers to thrown errors, as the bare framework gives them`, () => {
    let telemetry: TestTelemetry;
    let bare: ThrowingApp;
    let instrumented: ThrowingApp;
    beforeAll(async () => {
      if (options.quiet) vi.spyOn(console, 'error').mockImplementation(() => {});
      telemetry = createTestTelemetry();
      bare = await start(false);
      instrumented = await start(true);
    });
    afterAll(async () => {
      await Promise.all([bare?.close(), instrumented?.close()]);
      await telemetry.shutdown();
      if (options.quiet) vi.mocked(console.error).mockRestore();
    });

    it.each(thrown.map(({ name }, index) => [name, index] as const))('%s', async (_name, index) => {
      const path = `/throw/${index}`;
      const expected = await request(`${bare.url}${path}`);
      const answered = await request(`${instrumented.url}${path}`);
      expect(answered.status).toBe(expected.status);
      if (expected.status < 500) {
        expect(answered.body).toBe(expected.body);
        expect(answered.headers.get('content-type')).toBe(expected.headers.get('content-type'));
        return;
      }
      expect(JSON.parse(answered.body)).toEqual({
        error: STATUS_CODES[expected.status],
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(answered.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });
  });
}
