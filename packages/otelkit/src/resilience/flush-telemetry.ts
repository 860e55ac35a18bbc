import { logs, metrics, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { liveSetup } from '../internal/live-setup.ts';

interface Flushable {
  forceFlush?: () => Promise<unknown>;
}

/**
 * Flushes as the process ends: through `otelkit/setup` when it is live (see
 * its `lastFlush`), else whatever providers are registered globally (any SDK
 * whose providers have `forceFlush()`), waiting at most `timeoutMs`. Never
 * rejects. The timer is ref'd when `keepAlive` is set, so a crashing process
 * lives until the flush is done or the time is up.
 */
export async function flushTelemetry(timeoutMs: number, keepAlive: boolean): Promise<void> {
  // A setup of an older installed copy may have no `lastFlush`.
  const lastFlush = liveSetup()?.lastFlush;
  const tracerProvider = trace.getTracerProvider();
  const providers: unknown[] = [
    tracerProvider instanceof ProxyTracerProvider ? tracerProvider.getDelegate() : tracerProvider,
    metrics.getMeterProvider(),
    logs.getLoggerProvider(),
  ];
  const flushes =
    typeof lastFlush === 'function'
      ? [lastFlush()]
      : providers.map(async (provider) => {
          const flush = (provider as Flushable | undefined)?.forceFlush;
          if (typeof flush === 'function') await flush.call(provider);
        });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    if (!keepAlive) timer.unref();
  });
  try {
    await Promise.race([Promise.allSettled(flushes), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
