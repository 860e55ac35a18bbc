import { constants } from 'node:os';
import { failureLines } from './settle-signals.ts';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT: shut telemetry down (flushing it), then exit with the
 * conventional code, 128 + the signal number. When the app listens to the
 * signal too, it owns the exit (a server draining its connections): telemetry
 * is still shut down, and the process is left to the app. A second signal
 * exits at once. Returns the function that removes the handlers.
 */
export function handleShutdownSignals(shutdown: () => Promise<void>): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (constants.signals[signal] ?? 0);
    const appListens = process.listenerCount(signal) > 1;
    if (stopping) {
      if (!appListens) process.exit(code);
      return;
    }
    stopping = true;
    shutdown()
      .catch((error: unknown) => {
        // One line per destination that failed, each with its URL and reason: no stack.
        for (const line of failureLines(error)) console.error(line);
      })
      .finally(() => {
        if (!appListens) process.exit(code);
      });
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}
