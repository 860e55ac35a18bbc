import { expect, it } from 'vitest';
import { publishesRequestCreated } from './node-http-channels.ts';

it.each([
  ['20.18.0', false],
  ['22.11.0', false],
  ['22.12.0', true],
  ['22.23.3', true],
  ['23.1.0', false],
  ['23.2.0', true],
  ['24.0.0', true],
])('Node %s publishes http.client.request.created: %s', (version, expected) => {
  expect(publishesRequestCreated(version)).toBe(expected);
});

it('knows this Node publishes it (the supported versions all do)', () => {
  expect(publishesRequestCreated()).toBe(true);
});
