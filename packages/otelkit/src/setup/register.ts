/**
 * otelkit/register: `node --import otelkit/register app.js` sets telemetry up
 * from the `OTEL_*` environment before the app's first module loads, so every
 * module the app imports (its HTTP framework, its logger) finds the providers
 * already registered. Telemetry is flushed when the event loop empties and shut
 * down on SIGTERM and SIGINT (see `handleSignals` in `setup()`).
 *
 * Prefer `setup()` in code when the app configures telemetry itself (options,
 * exporters, instrumentations); prefer this entry to add telemetry to an app
 * without changing it, or to be sure it starts first.
 * @module
 */
import { setup } from './setup.ts';

setup({ handleSignals: true });
