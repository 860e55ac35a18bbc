/** The parts of Express 5's router (the `router` package) that a route template is read from. */
interface RouterLayer {
  readonly route?: { readonly path: unknown };
  readonly handle?: { readonly stack?: unknown };
  readonly rawPath?: unknown;
}

/** Routers nested deeper than this are not searched. */
const MAX_DEPTH = 8;

const templates = new WeakMap<object, string>();

/**
 * The full template of the route that matched (`/users/:userId/posts/:id`):
 * the route's own path, prefixed with the mount paths of the routers above it,
 * found once per route object by walking the app's router and then cached.
 * Falls back to the route's own path when the route is not found (a route of
 * a mounted sub-application).
 */
export function expressRouteTemplate(
  app: { readonly router?: unknown } | undefined,
  route: { readonly path: unknown },
): string {
  const cached = templates.get(route);
  if (cached !== undefined) return cached;
  const stack = (app?.router as { stack?: unknown } | undefined)?.stack;
  const found = Array.isArray(stack) ? search(stack, route, '', 0) : undefined;
  const template = found ?? normalize(pathText(route.path));
  templates.set(route, template);
  return template;
}

function search(
  stack: readonly RouterLayer[],
  target: object,
  prefix: string,
  depth: number,
): string | undefined {
  for (const layer of stack) {
    if (layer.route !== undefined) {
      if (layer.route === target) return normalize(prefix + pathText(layer.route.path));
      continue;
    }
    const inner = layer.handle?.stack;
    if (!Array.isArray(inner) || depth >= MAX_DEPTH) continue;
    const mount = pathText(layer.rawPath);
    const found = search(inner, target, prefix + (mount === '/' ? '' : mount), depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function pathText(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(pathText).join(',');
  return String(path ?? '');
}

function normalize(template: string): string {
  if (template === '') return '/';
  return template.length > 1 && template.endsWith('/') ? template.slice(0, -1) : template;
}
