import { ClientSettings } from './client-settings.ts';
import type { HttpClientOptions } from './http-client-options.ts';
import { HttpClientTracer } from './http-client-tracer.ts';
import { subscribeNodeHttp } from './node-http-channels.ts';
import { subscribeUndici } from './undici-channels.ts';

/**
 * The process-wide installation, shared by every copy of otelkit through a
 * `Symbol.for` key: two copies subscribing twice would trace every request
 * twice. Its shape is kept stable across otelkit versions.
 */
interface ClientTracingRegistry {
  readonly version: 1;
  /** Adds one holder with its options (the newest holder's apply) and returns its release. */
  acquire(options: HttpClientOptions): () => void;
}

const REGISTRY = Symbol.for('otelkit.http-client-tracing');

/**
 * Traces outgoing HTTP: global `fetch` and undici through undici's
 * `undici:request:*` diagnostics channels, `node:http` and `node:https`
 * through Node's `http.client.*` channels, with no patching and no loader
 * hooks. Each request gets one CLIENT span, child of the active span, and the
 * W3C trace context in its headers; each gets an `http.client.request.duration`
 * value. Requests made where tracing is suppressed (exporters) are left alone,
 * as are requests already traced by `@opentelemetry/instrumentation-undici` or
 * `@opentelemetry/instrumentation-http`.
 *
 * Returns the uninstall, which ends the spans still open. Installing again,
 * from this copy of otelkit or another, does not trace twice: the newest
 * options apply until their uninstall. Bad options throw at once, naming the
 * value.
 *
 * @example
 * const untrace = traceHttpClients({ ignore: ['https://metrics.internal:9090'] });
 * await fetch('https://api.example.com/users/42'); // a span named GET
 * untrace();
 */
export function traceHttpClients(options: HttpClientOptions = {}): () => void {
  new ClientSettings(options);
  const holder = globalThis as { [REGISTRY]?: ClientTracingRegistry };
  let registry = holder[REGISTRY];
  if (registry?.version !== 1) {
    registry = createRegistry();
    Object.defineProperty(holder, REGISTRY, { value: registry, configurable: true });
  }
  return registry.acquire(options);
}

function createRegistry(): ClientTracingRegistry {
  const holders: { settings: ClientSettings }[] = [];
  let tracer: HttpClientTracer | undefined;
  let unsubscribe: (() => void)[] = [];
  return {
    version: 1,
    acquire(options) {
      const entry = { settings: new ClientSettings(options) };
      holders.push(entry);
      if (tracer === undefined) {
        tracer = new HttpClientTracer(entry.settings);
        unsubscribe = [subscribeUndici(tracer), subscribeNodeHttp(tracer)];
      } else {
        tracer.settings = entry.settings;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holders.splice(holders.indexOf(entry), 1);
        const newest = holders.at(-1);
        if (newest !== undefined) {
          if (tracer !== undefined) tracer.settings = newest.settings;
          return;
        }
        for (const leave of unsubscribe) leave();
        unsubscribe = [];
        tracer?.endAll();
        tracer = undefined;
      };
    },
  };
}
