import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/index.ts';
import {
  buildUi,
  findChromium,
  launchChromium,
  openPage,
  poll,
  ready,
  shows,
} from './browser-support.ts';
import { jsonSpan, jsonTraceRequest } from './otlp-requests.ts';
import { type Seeded, seed } from './seed.ts';
import { getJson, startTestViewer } from './support.ts';

const hostile = '<img src=x onerror=alert(1)>';

const executablePath = findChromium();
if (!executablePath && !process.env.CI) {
  console.warn(
    'browser test skipped: no chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)',
  );
}

/** Sends a checkout trace with a cause chain, a link, a hostile attribute, logs and metrics. */
async function sendTelemetry(url: string): Promise<{ traceId: string; linkedTraceId: string }> {
  const resource = resourceFromAttributes({
    'service.name': 'shop-api',
    'service.version': '1.4.0',
  });
  const tracer = new TracerProvider({
    resource,
    spanProcessors: [
      new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${url}/v1/traces` }) }),
    ],
  });
  const logs = new LoggerProvider({
    resource,
    processors: [
      new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }) }),
    ],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${url}/v1/metrics` }),
    exportIntervalMillis: 60_000,
  });
  const meters = new MeterProvider({ resource, readers: [reader] });
  const t = tracer.getTracer('shop');
  const logger = logs.getLogger('shop');
  const now = Date.now();

  const batchJob = t.startSpan('nightly batch', { startTime: now - 5_000 });
  batchJob.end(now - 4_000);
  const root = t.startSpan('POST /checkout', {
    kind: SpanKind.SERVER,
    startTime: now,
    attributes: { 'http.request.method': 'POST', 'http.route': '/checkout', 'user.note': hostile },
    links: [{ context: batchJob.spanContext() }],
  });
  const inRoot = trace.setSpan(context.active(), root);
  const query = t.startSpan('SELECT cart', { kind: SpanKind.CLIENT, startTime: now + 5 }, inRoot);
  query.end(now + 40);
  const payment = t.startSpan(
    'charge card',
    { kind: SpanKind.CLIENT, startTime: now + 45 },
    inRoot,
  );
  const inPayment = trace.setSpan(context.active(), payment);
  const gateway = t.startSpan(
    'POST gateway/charges',
    { kind: SpanKind.CLIENT, startTime: now + 50 },
    inPayment,
  );
  gateway.setStatus({ code: SpanStatusCode.ERROR, message: 'timed out' });
  gateway.end(now + 155);
  payment.addEvent(
    'exception',
    {
      'exception.type': 'CheckoutError',
      'exception.message': 'checkout failed',
      'exception.stacktrace': 'CheckoutError: checkout failed\n    at charge (shop.ts:42:11)',
      'exception.chain.types': ['CheckoutError', 'PaymentError', 'TimeoutError'],
      'exception.chain.messages': [
        'checkout failed',
        'card declined',
        'gateway timed out after 3000 ms',
      ],
    },
    now + 160,
  );
  payment.setStatus({ code: SpanStatusCode.ERROR, message: 'checkout failed' });
  logger.emit({
    body: 'charging card',
    severityNumber: 9,
    severityText: 'INFO',
    context: trace.setSpan(context.active(), payment),
  });
  logger.emit({
    body: `payment failed ${hostile}`,
    severityNumber: 17,
    severityText: 'ERROR',
    context: trace.setSpan(context.active(), payment),
  });
  payment.end(now + 165);
  root.setStatus({ code: SpanStatusCode.ERROR });
  root.end(now + 180);

  const meter = meters.getMeter('shop');
  meter.createCounter('orders.placed').add(12, { region: 'eu' });
  const latency = meter.createHistogram('checkout.duration', { unit: 'ms' });
  for (const ms of [12, 35, 48, 90, 180, 240, 600]) latency.record(ms);

  await Promise.all([tracer.forceFlush(), logs.forceFlush(), meters.forceFlush()]);
  await Promise.all([tracer.shutdown(), logs.shutdown(), meters.shutdown()]);
  return { traceId: root.spanContext().traceId, linkedTraceId: batchJob.spanContext().traceId };
}

describe.skipIf(!executablePath && !process.env.CI)('the viewer pages in Chromium', () => {
  let viewer: Viewer;
  let browser: Browser;
  let seeded: Seeded;
  let ids: { traceId: string; linkedTraceId: string };

  beforeAll(async () => {
    if (!executablePath) throw new Error('CI needs chromium: apt-get install -y chromium');
    buildUi();
    viewer = await startTestViewer();
    seeded = await seed(viewer);
    ids = await sendTelemetry(viewer.url);
    browser = await launchChromium(executablePath);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  const open = (hash: string) => openPage(browser, viewer.url, hash);
  const total = async () =>
    ((await getJson(viewer, '/api/traces?limit=1')) as { total: number }).total;

  it('finds traces by attribute and time range, pages them and refreshes them live', async () => {
    const { page, problems, shoot } = await open('#/');
    await ready(page, 'traces');
    const stored = await total();
    await poll(() => page.locator('#trace-total').textContent()).toBe(`${stored} traces`);

    // An attribute condition, added with Enter, becomes a chip and narrows the list.
    await page.locator('#filter-attr').fill('user.id=u3');
    await page.locator('#filter-attr').press('Enter');
    await poll(() => page.locator('[data-testid="attr-chip"]').allTextContents()).toEqual([
      'user.id=u3×',
    ]);
    await poll(() => page.locator('#trace-total').textContent()).toBe('12 traces');
    await shoot('traces');
    await page.locator('#filter-range').selectOption('5m');
    // Of user u3's requests, one a minute apart from the 3rd, only the one 2 minutes old is recent.
    await poll(() => page.locator('#trace-total').textContent()).toBe('1 trace');
    expect(page.url()).toContain('attr=user.id%3Du3');
    expect(page.url()).toContain('range=5m');
    await page.locator('#filter-min-duration').fill('5000');
    await page.locator('#filter-min-duration').press('Enter');
    await poll(() => page.locator('.empty').textContent()).toContain(
      'No traces match these filters in the last 5 minutes.',
    );
    await page.locator('#refresh').click();

    // The operations of a service come from the data.
    await shows(page, () => page.goto(`${viewer.url}/#/?service=payments`));
    expect(await page.locator('#filter-operation option').allTextContents()).toEqual([
      'All operations',
      'GET /callback',
      'POST /pay',
      'SELECT accounts',
    ]);

    // Pages of 20, newest first.
    await shows(page, () => page.goto(`${viewer.url}/#/`));
    await page.locator('#page-next').click();
    await poll(() => page.locator('.pager').textContent()).toContain(`21–40 of ${stored}`);
    await page.locator('#page-prev').click();
    await poll(() => page.locator('.pager').textContent()).toContain(`1–20 of ${stored}`);

    // A trace sent now appears without a reload; pausing stops that.
    const now = Date.now();
    const response = await fetch(`${viewer.url}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(
        jsonTraceRequest(
          [
            jsonSpan({
              traceId: `${'f'.repeat(31)}1`,
              name: 'GET /late',
              startTimeUnixNano: `${BigInt(now) * 1_000_000n}`,
              endTimeUnixNano: `${BigInt(now + 3) * 1_000_000n}`,
            }),
          ],
          'latecomer',
        ),
      ),
    });
    expect(response.status).toBe(200);
    await poll(() => page.locator('#trace-total').textContent()).toBe(`${stored + 1} traces`);
    expect(await page.locator('.trace-link').first().textContent()).toBe('GET /late');
    await page.locator('#live-toggle').click();
    await poll(() => page.locator('#live-status').textContent()).toBe('paused');
    expect(page.url()).toContain('live=off');

    // Pasting a trace id opens it.
    await page.locator('#trace-id-lookup').fill(ids.traceId);
    await poll(() => page.url()).toContain(`#/trace/${ids.traceId}`);
    await page.locator('#waterfall').waitFor();
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows a trace: a waterfall that collapses, colours services and finds spans, with the span in the URL', async () => {
    const { page, problems, shoot } = await open('#/?service=shop-api&status=error');
    await ready(page, 'traces');
    await page.locator('.trace-link', { hasText: 'POST /checkout' }).click();
    await page.locator('#waterfall').waitFor();
    const rows = page.locator('#waterfall [data-testid="span-row"]');
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('POST /checkout'),
      expect.stringContaining('SELECT cart'),
      expect.stringContaining('charge card'),
      expect.stringContaining('POST gateway/charges'),
    ]);
    // The failing span is selected first: its cause chain reads outer error first.
    expect(await page.locator('[data-testid="cause-chain"] li').allTextContents()).toEqual([
      'CheckoutError: checkout failed',
      'caused by PaymentError: card declined',
      'caused by TimeoutError: gateway timed out after 3000 ms',
    ]);
    // Log rows name their span; hostile strings are text.
    expect(await page.locator('#trace-logs .span-ref').allTextContents()).toEqual([
      'charge card',
      'charge card',
    ]);
    await rows.first().click();
    expect(
      await page.locator('#span-detail tr', { hasText: 'user.note' }).locator('td').textContent(),
    ).toBe(hostile);
    expect(await page.locator('#app img').count()).toBe(0);
    // The URL follows the selection.
    await rows.nth(1).click();
    const selected = await rows.nth(1).getAttribute('data-span-id');
    await poll(() => page.url()).toContain(`#/trace/${ids.traceId}?span=${selected}`);
    await page.reload();
    await poll(() => page.locator('#span-detail h2').textContent()).toBe('SELECT cart');
    // Collapse and expand the root's subtree.
    await rows.first().locator('[data-testid="span-toggle"]').click();
    await poll(() => page.locator('#waterfall .span-row:not(.hidden)').count()).toBe(1);
    await rows.first().locator('[data-testid="span-toggle"]').click();
    await poll(() => page.locator('#waterfall .span-row:not(.hidden)').count()).toBe(4);
    // Find spans by name or attribute value.
    await page.locator('#span-search').fill('gateway');
    await poll(() => page.locator('#span-search-count').textContent()).toBe('1 of 4 spans match');
    expect(await page.locator('#waterfall .span-row.match').allTextContents()).toEqual([
      expect.stringContaining('POST gateway/charges'),
    ]);
    await rows.nth(2).click();
    await shoot('trace');
    // ← Traces goes back to the filtered list.
    await page.locator('#back-to-traces').click();
    await poll(() => page.url()).toContain('service=shop-api&status=error');

    // A trace of two services colours each; an unknown trace keeps a way back.
    await page.goto(`${viewer.url}/#/trace/${seeded.traceIds[10]}`);
    await poll(() => page.locator('.trace-header').textContent()).toContain(seeded.traceIds[10]);
    const colours = await page
      .locator('#waterfall .wf-bar')
      .evaluateAll((bars) => [...new Set(bars.map((b) => b.className))]);
    expect(colours).toHaveLength(2);
    await page.goto(`${viewer.url}/#/trace/${'0'.repeat(31)}9`);
    await poll(() => page.locator('.error-message').textContent()).toContain('is not stored');
    expect(await page.locator('#back-to-traces').count()).toBe(1);
    // Chromium reports the API's 404 for the unknown trace itself; nothing else may show.
    expect(await problems()).toEqual([
      'console error: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ]);
    await page.close();
  }, 60_000);

  it('groups errors with their counts, chains, sparklines and latest traces', async () => {
    const { page, problems, shoot } = await open('#/errors');
    await ready(page, 'errors');
    const rows = page.locator('[data-testid="error-row"]');
    await poll(() => rows.count()).toBe(5);
    // The gateway call failed without an exception event: grouped by its status message.
    expect(await rows.locator('.exception-type').allTextContents()).toEqual([
      'TimeoutError',
      'ValidationError',
      'DatabaseError',
      'CheckoutError',
      '(no error type)',
    ]);
    expect(await rows.locator('.count').allTextContents()).toEqual(['15', '10', '6', '1', '1']);
    expect(await rows.nth(4).locator('.error-text').textContent()).toBe('timed out');
    expect(await rows.nth(1).textContent()).toContain('cart <hex> has <n> invalid items');
    expect(await rows.nth(1).textContent()).toContain('/checkout');
    expect(await rows.nth(3).locator('.chain').textContent()).toBe(
      'CheckoutError ← PaymentError ← TimeoutError',
    );
    expect(await rows.first().locator('.sparkline rect').count()).toBeGreaterThan(5);
    await shoot('errors');
    await page.locator('#errors-service').selectOption('payments');
    await poll(() => rows.count()).toBe(2);
    await rows.first().locator('.trace-id-link').first().click();
    await page.locator('#waterfall').waitFor();
    expect(await page.locator('#span-detail').textContent()).toContain('TimeoutError');
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('maps the services with calls and errors, and charts requests, errors and latency by route', async () => {
    const { page, problems, shoot } = await open('#/services?service=frontend');
    await ready(page, 'services');
    const nodes = page.locator('#service-map .map-node');
    expect(
      await nodes.evaluateAll((all) => all.map((n) => n.getAttribute('data-service'))),
    ).toEqual(expect.arrayContaining(['frontend', 'payments', 'shop-api']));
    expect(await page.locator('[data-edge="frontend->payments"] .edge-label').textContent()).toBe(
      '60 calls · 15 errors',
    );
    expect(await page.locator('[data-edge="payments->frontend"] .edge-label').textContent()).toBe(
      '6 calls',
    );
    const routes = page.locator('[data-testid="red-route"]');
    expect(await routes.locator('.route-name').allTextContents()).toEqual(['/checkout']);
    expect(await page.locator('#red-charts').textContent()).toContain(
      'From the http.server.request.duration histogram',
    );
    expect(await routes.first().locator('figcaption').allTextContents()).toEqual([
      'Requests',
      'Errors',
      'Latency',
    ]);
    expect(await routes.first().locator('svg path').count()).toBe(5);
    await shoot('services');
    await nodes.filter({ hasText: 'payments' }).click();
    await poll(() => page.url()).toContain('service=payments');
    await poll(() => routes.locator('.route-name').allTextContents()).toEqual(['/pay']);
    expect(await page.locator('#red-charts').textContent()).toContain('From server spans');
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('searches every log record, by words, severity and service, and links each to its span', async () => {
    const { page, problems, shoot } = await open('#/logs');
    await ready(page, 'logs');
    await poll(() => page.locator('#logs-total').textContent()).toBe('107 log records');
    await page.locator('#logs-q').fill('timed out');
    await shows(page, () => page.locator('#logs-q').press('Enter'));
    await poll(() => page.locator('#logs-total').textContent()).toBe('15 log records');
    expect(await page.locator('[data-testid="log-row"] .log-span-link').first().textContent()).toBe(
      'POST /pay',
    );
    await page.locator('#logs-q').fill('');
    await shows(page, () => page.locator('#logs-q').press('Enter'));
    await poll(() => page.url()).not.toContain('q=');
    await poll(() => page.locator('#logs-total').textContent()).toBe('107 log records');
    await shows(page, () => page.locator('#logs-severity').selectOption('WARN'));
    await poll(() => page.locator('#logs-total').textContent()).toBe('31 log records');
    const swappedOut = await page.locator('#logs-q').elementHandle();
    await shows(page, () => page.locator('#logs-service').selectOption('payments'));
    await poll(() => page.locator('#logs-total').textContent()).toBe('30 log records');
    // The search box of a page already swapped out commits nothing, even when its focus leaves
    // with a changed value: it must not take the page back to its own query.
    const shown = await page.evaluate('location.hash');
    await swappedOut!.evaluate((input) => {
      (input as unknown as { value: string }).value = 'timed out';
      input.dispatchEvent(new Event('change'));
    });
    expect(await page.evaluate('location.hash')).toBe(shown);
    // Records of a background job have no trace.
    expect(
      await page
        .locator('[data-testid="log-row"]', { hasText: 'disk usage' })
        .first()
        .locator('.log-trace')
        .textContent(),
    ).toBe('—');
    await shows(page, () => page.goto(`${viewer.url}/#/logs`));
    await poll(() => page.locator('#logs-total').textContent()).toBe('107 log records');
    await shoot('logs');
    await page.locator('#logs-q').fill(`charge ${1000 + seeded.failed.TimeoutError[0]!}`);
    await shows(page, () => page.locator('#logs-q').press('Enter'));
    await poll(() => page.locator('#logs-total').textContent()).toBe('1 log record');
    await page.locator('.log-span-link').click();
    await poll(() => page.locator('#span-detail h2').textContent()).toBe('POST /pay');
    expect(page.url()).toContain('?span=');
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('charts each metric over time: counters as rates, gauges as values, histograms as quantiles', async () => {
    const { page, problems, shoot } = await open('#/metrics');
    await ready(page, 'metrics');
    const cards = page.locator('[data-testid="metric-card"]');
    expect(await cards.locator('h2').allTextContents()).toEqual([
      'checkout.durationhistogram',
      'http.server.request.durationhistogram',
      'orders.placedcounter',
      'payments.chargedcounter',
      'queue.depthgauge',
    ]);
    const charged = cards.filter({ hasText: 'payments.charged' });
    expect(await charged.locator('figcaption').textContent()).toBe('rate per second');
    // The rate in the counter's unit (its value is the API tests' business).
    expect(await charged.locator('.legend').textContent()).toMatch(/^payments [\d.]+ charges\/s$/);
    const durations = cards.filter({ hasText: 'http.server.request.duration' });
    // Seconds shown as milliseconds.
    expect(await durations.locator('.legend').first().textContent()).toMatch(/p50 \d+\.\d ms/);
    expect(await cards.filter({ hasText: 'queue.depth' }).locator('svg path').count()).toBe(1);
    await shoot('metrics');
    await page.locator('#metrics-service').selectOption('payments');
    await poll(() => cards.locator('h2').allTextContents()).toEqual([
      'payments.chargedcounter',
      'queue.depthgauge',
    ]);
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);
});
