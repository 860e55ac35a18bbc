import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/index.ts';
import { startTestViewer } from './support.ts';

const hostile = '<img src=x onerror=alert(1)>';
const screenshotPath = fileURLToPath(new URL('../../../docs/images/viewer.png', import.meta.url));

/** Debian's chromium (apt-get install -y chromium), or CHROMIUM_PATH. */
function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

const executablePath = findChromium();
if (!executablePath && !process.env.CI) {
  console.warn(
    'browser test skipped: no chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)',
  );
}

/** Compiles the browser code, as `npm run build` does, so the page works without a prior build. */
function buildUi(): void {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  const project = fileURLToPath(new URL('../tsconfig.ui.json', import.meta.url));
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
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

describe.skipIf(!executablePath && !process.env.CI)('the viewer page in Chromium', () => {
  let viewer: Viewer;
  let browser: Browser;
  let ids: { traceId: string; linkedTraceId: string };

  beforeAll(async () => {
    if (!executablePath) throw new Error('CI needs chromium: apt-get install -y chromium');
    buildUi();
    viewer = await startTestViewer();
    ids = await sendTelemetry(viewer.url);
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('shows a trace with its waterfall, cause chain, logs and links, rendering data as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(viewer.url);
    const rows = page.locator('[data-testid="trace-row"]');
    await poll(() => rows.count()).toBe(2);
    await page.locator('#filter-errors').check();
    await poll(() => rows.count()).toBe(1);
    await page.locator('#filter-slowest').check();
    await page.locator('#filter-errors').uncheck();
    await poll(() => rows.locator('.trace-link').allTextContents()).toEqual([
      'nightly batch',
      'POST /checkout',
    ]);
    await page.locator('#filter-service').selectOption('shop-api');
    await poll(() => page.url()).toContain('service=shop-api');
    await rows.locator('a', { hasText: 'POST /checkout' }).click();

    await page.locator('#waterfall').waitFor();
    const spanRows = page.locator('#waterfall [data-testid="span-row"]');
    expect(await spanRows.allTextContents()).toEqual([
      expect.stringContaining('POST /checkout'),
      expect.stringContaining('SELECT cart'),
      expect.stringContaining('charge card'),
      expect.stringContaining('POST gateway/charges'),
    ]);
    expect(await page.locator('#waterfall .span-row.error').count()).toBe(3);

    // The failing span is selected first: its cause chain reads outer error first.
    const chain = page.locator('[data-testid="cause-chain"] li');
    expect(await chain.allTextContents()).toEqual([
      'CheckoutError: checkout failed',
      'caused by PaymentError: card declined',
      'caused by TimeoutError: gateway timed out after 3000 ms',
    ]);
    expect(await page.locator('#trace-logs li').count()).toBe(2);

    // The hostile attribute and log body are text: no element, no dialog.
    await spanRows.first().click();
    const note = page.locator('#span-detail tr', { hasText: 'user.note' }).locator('td');
    expect(await note.textContent()).toBe(hostile);
    expect(await page.locator('#app img').count()).toBe(0);
    expect(await page.locator('#trace-logs').textContent()).toContain(hostile);

    await spanRows.nth(2).click();
    await page.screenshot({ path: ensureDir(screenshotPath), fullPage: false });

    // A link navigates to the linked trace.
    await spanRows.first().click();
    await page.locator('#span-detail a.span-link').click();
    await poll(() => page.url()).toContain(`#/trace/${ids.linkedTraceId}`);
    await poll(() => page.locator('#waterfall [data-testid="span-row"]').allTextContents()).toEqual(
      [expect.stringContaining('nightly batch')],
    );

    // The metrics view shows the counter and the histogram's buckets.
    await page.goto(`${viewer.url}/#/metrics`);
    await page.locator('#metrics').waitFor();
    expect(await page.locator('.metric-card h2').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('orders.placed'),
        expect.stringContaining('checkout.duration'),
      ]),
    );
    expect(await page.locator('.histogram .bucket').count()).toBeGreaterThan(3);

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});

/** `expect.poll` with room for a loaded CI machine. */
function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 10_000 });
}

function ensureDir(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
