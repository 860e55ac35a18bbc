import { setup } from '../setup/setup.ts';
import type { Telemetry } from '../setup/setup-options.ts';

/** A library that sets up OpenTelemetry itself, before the app does. */
export function librarySetsUp(): Telemetry {
  return setup({ service: { name: 'some-library' }, exporter: 'none' });
}
