import { renderComparison } from './compare-page.ts';
import { el, replaceChildren } from './dom.ts';
import { renderErrors } from './errors-page.ts';
import { renderLogs } from './logs-page.ts';
import { errorMessage } from './messages.ts';
import { renderMetrics } from './metrics-page.ts';
import { type Page, parseRoute, type Route } from './router.ts';
import { renderServices } from './services-page.ts';
import { renderTraceSearch } from './trace-search.ts';
import { renderTrace } from './trace-view.ts';

// A page renders into `root` and may return what stops its live updates.
type Render = (root: HTMLElement, route: Route) => Promise<unknown>;

const pages: Record<Page, Render> = {
  traces: (root, route) => renderTraceSearch(root, route.query),
  trace: (root, route) =>
    route.page === 'trace' ? renderTrace(root, route.traceId, route.spanId) : Promise.resolve(),
  compare: (root, route) =>
    route.page === 'compare'
      ? renderComparison(root, route.a, route.b, route.query)
      : Promise.resolve(),
  errors: (root, route) => renderErrors(root, route.query),
  services: (root, route) => renderServices(root, route.query),
  logs: (root, route) => renderLogs(root, route.query),
  metrics: (root, route) => renderMetrics(root, route.query),
};

const navFor: Record<Page, string> = {
  traces: 'nav-traces',
  trace: 'nav-traces',
  compare: 'nav-traces',
  errors: 'nav-errors',
  services: 'nav-services',
  logs: 'nav-logs',
  metrics: 'nav-metrics',
};

let renders = 0;
let stop: (() => void) | undefined;

async function render(): Promise<void> {
  const app = document.getElementById('app');
  if (!app) return;
  const route = parseRoute(location.hash);
  const current = ++renders;
  stop?.();
  stop = undefined;
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.id === navFor[route.page]);
  }
  // Render off-screen, then swap in, so a slow answer never overwrites a newer page.
  const page = el('div', { className: `page page-${route.page}` });
  let cleanup: (() => void) | undefined;
  try {
    const result = await pages[route.page](page, route);
    if (typeof result === 'function') cleanup = result as () => void;
  } catch (error) {
    replaceChildren(page, errorMessage(error));
  }
  if (current !== renders) {
    cleanup?.();
    return;
  }
  stop = cleanup;
  replaceChildren(app, page);
  app.dataset.ready = route.page;
  // Counts the pages shown, so that a script can tell when a new one is in place.
  app.dataset.rendered = String(current);
}

window.addEventListener('hashchange', () => void render());
void render();
