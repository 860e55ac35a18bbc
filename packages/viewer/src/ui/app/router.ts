/** The pages of the viewer. */
export type Page = 'traces' | 'trace' | 'compare' | 'errors' | 'services' | 'logs' | 'metrics';

/** A route, kept in the URL hash so that back, forward and links just work. */
export type Route =
  | { page: 'trace'; traceId: string; spanId: string | undefined; query: URLSearchParams }
  | { page: 'compare'; a: string; b: string; query: URLSearchParams }
  | { page: Exclude<Page, 'trace' | 'compare'>; query: URLSearchParams };

const listPages = new Set(['errors', 'services', 'logs', 'metrics']);

/** Reads the route from a location hash such as `#/trace/<id>?span=<id>` or `#/logs?q=…`. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const at = raw.indexOf('?');
  const path = at === -1 ? raw : raw.slice(0, at);
  const query = new URLSearchParams(at === -1 ? '' : raw.slice(at + 1));
  const trace = /^\/trace\/([0-9a-f]{32})$/i.exec(path);
  if (trace) {
    return {
      page: 'trace',
      traceId: trace[1]!.toLowerCase(),
      spanId: query.get('span') ?? undefined,
      query,
    };
  }
  const compare = /^\/compare\/([0-9a-f]{32})\/([0-9a-f]{32})$/i.exec(path);
  if (compare) {
    return { page: 'compare', a: compare[1]!.toLowerCase(), b: compare[2]!.toLowerCase(), query };
  }
  const name = path.replace(/^\//, '');
  if (listPages.has(name)) {
    return { page: name as Exclude<Page, 'trace' | 'traces' | 'compare'>, query };
  }
  return { page: 'traces', query };
}

/** The hash of a trace page, optionally with a span selected. */
export function traceHref(traceId: string, spanId?: string): string {
  const span = spanId ? `?span=${encodeURIComponent(spanId)}` : '';
  return `#/trace/${encodeURIComponent(traceId)}${span}`;
}

/** The hash of the comparison of trace `a` with trace `b`. */
export function compareHref(a: string, b: string): string {
  return `#/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
}

/** The hash of a page with its query. */
export function pageHref(page: Exclude<Page, 'trace' | 'compare'>, query: URLSearchParams): string {
  const path = page === 'traces' ? '#/' : `#/${page}`;
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** Goes to `hash`, rendering again when it is the current one (a Refresh). */
export function go(hash: string): void {
  if (location.hash === hash || (hash === '#/' && location.hash === '')) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

const listKey = 'otelkit-viewer.trace-list';

/** Remembers the trace list's hash, so that "← Traces" goes back to the same filters. */
export function rememberTraceList(hash: string): void {
  try {
    sessionStorage.setItem(listKey, hash);
  } catch {
    // Storage may be disabled; the link then goes to the unfiltered list.
  }
}

/** The hash of the trace list as last shown, or the list without filters. */
export function traceListHref(): string {
  try {
    return sessionStorage.getItem(listKey) || '#/';
  } catch {
    return '#/';
  }
}
