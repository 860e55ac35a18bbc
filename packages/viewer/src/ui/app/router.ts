/** The page's routes, kept in the URL hash so that back, forward and links just work. */
export type Route =
  | { page: 'traces'; query: URLSearchParams }
  | { page: 'trace'; traceId: string; spanId: string | undefined }
  | { page: 'metrics' };

/** Reads the route from a location hash such as `#/trace/<id>?span=<id>`. */
export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  const trace = /^\/trace\/([0-9a-f]{32})$/i.exec(path);
  if (trace)
    return {
      page: 'trace',
      traceId: trace[1]!.toLowerCase(),
      spanId: query.get('span') ?? undefined,
    };
  if (path === '/metrics') return { page: 'metrics' };
  return { page: 'traces', query };
}

/** The hash of a trace page, optionally with a span selected. */
export function traceHref(traceId: string, spanId?: string): string {
  const span = spanId ? `?span=${encodeURIComponent(spanId)}` : '';
  return `#/trace/${encodeURIComponent(traceId)}${span}`;
}
