import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/index.ts';
import { longName, sendAwkwardTelemetry, traces } from './browser-data.ts';
import {
  buildUi,
  findChromium,
  launchChromium,
  openPage,
  poll,
  ready,
  shows,
} from './browser-support.ts';
import { startTestViewer } from './support.ts';

const executablePath = findChromium();

describe.skipIf(!executablePath && !process.env.CI)('awkward traces in Chromium', () => {
  let viewer: Viewer;
  let browser: Browser;

  beforeAll(async () => {
    if (!executablePath) throw new Error('CI needs chromium: apt-get install -y chromium');
    buildUi();
    viewer = await startTestViewer();
    await sendAwkwardTelemetry(viewer);
    browser = await launchChromium(executablePath);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  const open = (hash: string, viewport?: { width: number; height: number }) =>
    openPage(browser, viewer.url, hash, viewport);

  it('shows every span of a trace whose spans are their own parents, each other’s, twice or orphans', async () => {
    const { page, problems, shoot } = await open('#/');
    // A store written by another version, or a bug, could hand the page the same span twice.
    await page.route(`**/api/traces/${traces.odd}`, async (route) => {
      const answer = await route.fetch();
      const trace = (await answer.json()) as { spans: { name: string }[] };
      const child = trace.spans.find((s) => s.name === 'child')!;
      trace.spans.push({ ...child, name: 'child again' });
      await route.fulfill({ response: answer, json: trace });
    });
    await shows(page, () => page.goto(`${viewer.url}/#/trace/${traces.odd}`));
    const rows = page.locator('#waterfall [data-testid="span-row"]');
    await poll(() => rows.count()).toBe(7);
    const names = await rows.locator('.wf-name').allTextContents();
    expect([...names].sort()).toEqual(
      ['child', 'child again', 'narcissus', 'orphan', 'ping', 'pong', 'root'].sort(),
    );
    expect(await page.locator('[data-testid="cycle"]').count()).toBe(1);
    expect(await page.locator('[data-testid="self-parent"]').count()).toBe(1);
    expect(await page.locator('[data-testid="duplicate"]').count()).toBe(1);
    expect(await page.locator('.badge', { hasText: 'parent missing' }).count()).toBe(1);
    await shoot('awkward-trace');
    // The cycle is broken at its earliest span, the other hanging under it.
    const ping = rows.filter({ hasText: 'ping' });
    await ping.locator('[data-testid="span-toggle"]').click();
    await poll(() => rows.filter({ hasText: 'pong' }).isHidden()).toBe(true);
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('finds spans of a 10,000-span trace by name, attribute key or value, and jumps between them', async () => {
    const { page, problems } = await open(`#/trace/${traces.big}`);
    const rows = page.locator('#waterfall [data-testid="span-row"]');
    await poll(() => rows.count()).toBe(10_000);
    const search = page.locator('#span-search');
    const count = page.locator('#span-search-count');
    // Responsive: the matches are highlighted well within a second of typing.
    const quickly = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 2_000 });
    await search.fill('needle');
    await quickly(() => count.textContent()).toBe('3 of 10,000 spans match');
    expect(await page.locator('#waterfall .span-row.match').count()).toBe(3);
    await search.press('Enter');
    await poll(() => page.locator('#span-search-position').textContent()).toBe('1 / 3');
    await poll(() => page.locator('#span-detail h2').textContent()).toBe('needle');
    const first = page.url();
    await search.press('Enter');
    await poll(() => page.locator('#span-search-position').textContent()).toBe('2 / 3');
    expect(page.url()).not.toBe(first);
    await search.press('Shift+Enter');
    await poll(() => page.url()).toBe(first);
    await page.locator('#span-search-prev').click();
    await poll(() => page.locator('#span-search-position').textContent()).toBe('3 / 3');
    // By attribute key and value.
    await search.fill('order.item=96');
    await quickly(() => count.textContent()).toBe('103 of 10,000 spans match');
    await search.fill('shard=s4');
    await quickly(() => count.textContent()).toBe('2,000 of 10,000 spans match');
    expect(await problems()).toEqual([]);
    await page.close();
  }, 120_000);

  it('compares two traces, reached from the trace page and from the search results', async () => {
    const { page, problems, shoot } = await open(`#/trace/${traces.slow}`);
    await page.locator('#compare-with').click();
    await poll(() => page.locator('#compare-banner').count()).toBe(1);
    // The list is narrowed to traces like this one; a row opens the comparison.
    const rows = page.locator('[data-testid="trace-row"]');
    await poll(() => rows.count()).toBe(2);
    await rows
      .filter({ has: page.locator(`a[href="#/compare/${traces.slow}/${traces.usual}"]`) })
      .locator('.trace-link')
      .click();
    await ready(page, 'compare');
    expect(page.url()).toContain(`#/compare/${traces.slow}/${traces.usual}`);
    await page.locator('#compare-swap').click();
    await poll(() => page.url()).toContain(`#/compare/${traces.usual}/${traces.slow}`);
    await poll(() => page.locator('[data-testid="compare-row"]').count()).toBe(3);
    expect(await page.locator('#compare-summary').textContent()).toBe(
      '2 spans slower, 1 span failed in B only.',
    );
    expect(
      await page
        .locator('[data-testid="compare-row"]')
        .evaluateAll((all) =>
          all.map((row) => [row.querySelector('.compare-name')!.textContent, row.className]),
        ),
    ).toEqual([
      ['GET /checkout', 'compare-row change-slower'],
      ['SELECT cart', 'compare-row change-slower'],
      ['POST /charge', 'compare-row change-failed'],
    ]);
    await shoot('compare');
    // From the search results: "compare with…" on one row, then the other.
    await shows(page, () => page.goto(`${viewer.url}/#/?service=shop&operation=GET%20%2Fcheckout`));
    await rows.first().locator('.compare-link').click();
    await poll(() => page.locator('#compare-banner').count()).toBe(1);
    await rows.nth(1).locator('.trace-link').click();
    await ready(page, 'compare');
    await poll(() => page.locator('[data-testid="compare-row"]').count()).toBe(3);
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('fits a 390 px wide screen: no page scrolls sideways', async () => {
    const pages = [
      '#/',
      `#/trace/${traces.slow}`,
      `#/trace/${traces.long}`,
      `#/compare/${traces.usual}/${traces.slow}`,
      '#/errors',
      '#/services',
      '#/logs',
      '#/metrics',
    ];
    for (const hash of pages) {
      const { page, problems } = await open(hash, { width: 390, height: 844 });
      await poll(() => page.locator('#app').getAttribute('data-ready')).not.toBe(null);
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate('document.documentElement.scrollWidth');
      expect([hash, width]).toEqual([hash, 390]);
      expect(await problems()).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it('cuts long names with an ellipsis and gives the whole name on hover', async () => {
    const { page, problems } = await open('#/');
    await ready(page, 'traces');
    const link = page.locator(`a[href="#/trace/${traces.long}"]`);
    expect(await link.getAttribute('title')).toBe(longName);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(1440);
    const box = await link.boundingBox();
    expect(box!.width).toBeLessThan(1440);
    await shows(page, () => link.click());
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(1440);
    expect(await page.locator('#waterfall .span-row .wf-label').getAttribute('title')).toBe(
      `${longName} · long-names`,
    );
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('maps databases and caches with legible text, and shows the query of a database span', async () => {
    const { page, problems, shoot } = await open('#/services?service=shop');
    await ready(page, 'services');
    const mysql = page.locator('#service-map .map-node.database[data-service="mysql 127.0.0.1"]');
    const redis = page.locator('#service-map .map-node.database[data-service="redis 127.0.0.1"]');
    await poll(() => mysql.count()).toBe(1);
    expect(await redis.count()).toBe(1);
    expect(
      await page.locator('[data-edge="shop->mysql 127.0.0.1"] .edge-label').textContent(),
    ).toBe('2 calls');
    // Text at the size the stylesheet gives it (13 px), not shrunk with the map.
    const height = await mysql
      .locator('text')
      .evaluate((text) => text.getBoundingClientRect().height);
    expect(height).toBeGreaterThan(12);
    await shoot('services-databases');
    // A database node leads to the traces that query it; their spans show the statement.
    await shows(page, () => mysql.click());
    await poll(() => page.locator('#trace-total').textContent()).toBe('2 traces');
    await shows(page, () => page.goto(`${viewer.url}/#/trace/${traces.usual}`));
    await page.locator('#waterfall [data-testid="span-row"]', { hasText: 'SELECT cart' }).click();
    expect(await page.locator('#query-text').textContent()).toBe(
      'Query (mysql)SELECT * FROM cart WHERE user_id = ?',
    );
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('says why tail sampling kept a trace, and which services sample; names client roots by their target', async () => {
    const { page, problems } = await open('#/');
    await ready(page, 'traces');
    await poll(() => page.locator('#sampling-notice').textContent()).toContain(
      'shop samples its traces (tail sampling)',
    );
    const sampled = page.locator('[data-testid="trace-row"]', { hasText: 'GET /users/:id' });
    expect(await sampled.locator('.badge.sampling').textContent()).toBe('kept: slow');
    const client = page.locator(`a[href="#/trace/${traces.clientRoot}"]`);
    expect(await client.textContent()).toBe('GET → http://127.0.0.1:3000/users/42');
    await shows(page, () => page.goto(`${viewer.url}/#/trace/${traces.database}`));
    expect(await page.locator('#sampling-reason').textContent()).toBe(
      'Kept by tail sampling: slow shop, because it was slow',
    );
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows log events and severities by name, and a trace that has only log records', async () => {
    const { page, problems } = await open('#/logs?service=shop');
    await ready(page, 'logs');
    const rows = page.locator('[data-testid="log-row"]');
    await poll(() => rows.count()).toBe(3);
    const event = rows.filter({ hasText: 'checkout.completed' });
    expect(await event.locator('.severity').textContent()).toBe('INFO');
    expect(await event.locator('.badge.event-name').textContent()).toBe('checkout.completed');
    const warning = rows.filter({ hasText: 'cart is getting large' });
    expect(await warning.locator('.severity').textContent()).toBe('WARN2');
    expect(await warning.locator('summary').textContent()).toBe('1 attribute');
    await page.locator('#logs-q').fill('checkout.completed');
    await shows(page, () => page.locator('#logs-q').press('Enter'));
    await poll(() => page.locator('#logs-total').textContent()).toBe('1 log record');
    await shows(page, () => page.goto(`${viewer.url}/#/logs?service=shop`));
    await shows(page, () => rows.filter({ hasText: 'payment refused' }).locator('a').click());
    await poll(() => page.locator('#trace-missing').textContent()).toBe(
      `No span of trace ${traces.logsOnly} is stored, only 1 log record written in it: its spans were not exported here, or were refused.`,
    );
    expect(await page.locator('#trace-logs').textContent()).toContain('payment refused');
    // Chromium reports the API's 404 for the trace's spans itself; nothing else may show.
    expect(await problems()).toEqual([
      'console error: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ]);
    await page.close();
  }, 60_000);

  it('charts negative values, with axis labels whole and readable', async () => {
    const { page, problems, shoot } = await open('#/metrics?service=cold-store');
    await ready(page, 'metrics');
    const cards = page.locator('[data-testid="metric-card"]');
    await poll(() => cards.count()).toBe(2);
    for (const name of ['room.temperature', 'stock.balance']) {
      const card = cards.filter({ hasText: name });
      expect(await card.locator('svg path.series:not(.dots)').count()).toBe(1);
      const labels = await card.locator('.y-label').allTextContents();
      expect(labels.some((label) => label.startsWith('-') || label.startsWith('−'))).toBe(true);
      // Every label inside its chart, none clipped, at a size people read.
      const fits = await card.locator('.chart').evaluate((chart) => {
        const box = chart.getBoundingClientRect();
        return [...chart.querySelectorAll('.axis-label')].every((label) => {
          const r = label.getBoundingClientRect();
          return r.left >= box.left - 1 && r.right <= box.right + 1 && r.height >= 11;
        });
      });
      expect(fits).toBe(true);
    }
    await shoot('metrics-negative');
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);
});
