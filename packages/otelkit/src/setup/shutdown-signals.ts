import { constants } from 'node:os';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT: shut telemetry down (flushing it), then exit with the
 * conventional code, 128 + the signal number. A second signal exits at once.
 * Returns the function that removes the handlers.
 */
export function handleShutdownSignals(shutdown: () => Promise<void>): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (constants.signals[signal] ?? 0);
    if (stopping) process.exit(code);
    stopping = true;
    shutdown()
      .catch((error: unknown) => {
        console.error('otelkit: telemetry shutdown failed', error);
      })
      .finally(() => process.exit(code));
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}
