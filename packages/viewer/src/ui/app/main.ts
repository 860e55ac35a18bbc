import { el, replaceChildren } from './dom.ts';
import { renderMetrics } from './metrics-view.ts';
import { parseRoute } from './router.ts';
import { renderTraceList } from './trace-list.ts';
import { renderTrace } from './trace-view.ts';

let renders = 0;

async function render(): Promise<void> {
  const app = document.getElementById('app');
  if (!app) return;
  const route = parseRoute(location.hash);
  const current = ++renders;
  document.getElementById('nav-traces')?.classList.toggle('active', route.page !== 'metrics');
  document.getElementById('nav-metrics')?.classList.toggle('active', route.page === 'metrics');
  // Render off-screen, then swap in, so a slow answer never overwrites a newer page.
  const page = el('div', { className: `page page-${route.page}` });
  try {
    if (route.page === 'trace') await renderTrace(page, route.traceId, route.spanId);
    else if (route.page === 'metrics') await renderMetrics(page);
    else await renderTraceList(page, route.query);
  } catch (error) {
    replaceChildren(
      page,
      el('p', {
        className: 'error-message',
        text: error instanceof Error ? error.message : String(error),
      }),
    );
  }
  if (current === renders) replaceChildren(app, page);
  app.dataset.ready = route.page;
}

window.addEventListener('hashchange', () => void render());
void render();
