import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../src/index.ts';
import { hex, span } from './browser-data.ts';
import { buildUi, findChromium, launchChromium, openPage, poll, ready } from './browser-support.ts';
import { send, startTestViewer } from './support.ts';

const executablePath = findChromium();
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/**
 * The OpenTelemetry JS SDK over OTLP/JSON (traces) and protobuf (logs): a checkout whose call to
 * a payment service fails with a 502 and no exception event, logged on the way.
 */
async function sendFromOtelSdk(url: string): Promise<string> {
  const resource = resourceFromAttributes({ 'service.name': 'storefront' });
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
  const t = tracer.getTracer('storefront');
  const now = Date.now() - 60_000;
  const root = t.startSpan('POST /orders', {
    kind: SpanKind.SERVER,
    startTime: now,
    attributes: { 'http.request.method': 'POST', 'http.route': '/orders' },
  });
  const inRoot = trace.setSpan(context.active(), root);
  const query = t.startSpan(
    'INSERT orders',
    {
      kind: SpanKind.CLIENT,
      startTime: now + 2,
      attributes: {
        'db.system.name': 'postgresql',
        'server.address': 'orders-db',
        'db.query.text': 'INSERT INTO orders (user_id, total) VALUES ($1, $2)',
      },
    },
    inRoot,
  );
  query.end(now + 14);
  const pay = t.startSpan(
    'POST',
    {
      kind: SpanKind.CLIENT,
      startTime: now + 15,
      attributes: { 'url.full': 'http://payments:8080/charges', 'error.type': '502' },
    },
    inRoot,
  );
  pay.setStatus({ code: SpanStatusCode.ERROR });
  logs.getLogger('storefront').emit({
    body: 'payment service answered 502',
    severityNumber: 13,
    context: trace.setSpan(context.active(), pay),
    attributes: { 'order.id': 'o-1042' },
  });
  pay.end(now + 140);
  root.setStatus({ code: SpanStatusCode.ERROR });
  root.end(now + 150);
  await Promise.all([tracer.forceFlush(), logs.forceFlush()]);
  await Promise.all([tracer.shutdown(), logs.shutdown()]);
  return root.spanContext().traceId;
}

/**
 * Data shaped as dd-trace 6.21's OTLP exporters send it: failures as status ERROR with
 * `error.type`, `error.message` and `error.stack` attributes and no exception event; log
 * records in OTLP/JSON with their ids written as serialized Node.js Buffers.
 */
async function sendLikeDdTrace(url: string): Promise<string> {
  const traceId = hex(0xdd7, 16);
  const now = Date.now() - 30_000;
  const stack = [
    "TypeError: Cannot read properties of undefined (reading 'sku')",
    '    at priceOf (/app/src/cart.js:41:23)',
    '    at Array.map (<anonymous>)',
    '    at handler (/app/src/routes/cart.js:12:31)',
  ].join('\n');
  const spans = [
    span(traceId, 1, 0, 'express.request', now, 35, {
      kind: 2,
      status: { code: 2 },
      attributes: [
        str('http.route', '/cart'),
        str('error.type', 'TypeError'),
        str('error.message', "Cannot read properties of undefined (reading 'sku')"),
        str('error.stack', stack),
      ],
    }),
  ];
  const post = (path: string, body: unknown) =>
    send(`${url}${path}`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  await post('/v1/traces', {
    resourceSpans: [
      { resource: { attributes: [str('service.name', 'cart')] }, scopeSpans: [{ spans }] },
    ],
  });
  await post('/v1/logs', {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'cart')] },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: String(BigInt(now + 30) * 1_000_000n),
                severityNumber: 17,
                body: { stringValue: 'cart pricing failed' },
                traceId: { type: 'Buffer', data: [...Buffer.from(traceId, 'hex')] },
                spanId: { type: 'Buffer', data: [...Buffer.from(hex(1, 8), 'hex')] },
              },
            ],
          },
        ],
      },
    ],
  });
  return traceId;
}

describe.skipIf(!executablePath && !process.env.CI)("each producer's data in Chromium", () => {
  let viewer: Viewer;
  let browser: Browser;
  let otelTrace: string;
  let ddTrace: string;

  beforeAll(async () => {
    if (!executablePath) throw new Error('CI needs chromium: apt-get install -y chromium');
    buildUi();
    viewer = await startTestViewer();
    otelTrace = await sendFromOtelSdk(viewer.url);
    ddTrace = await sendLikeDdTrace(viewer.url);
    browser = await launchChromium(executablePath);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('shows the OpenTelemetry SDK’s trace: the failed call, its query and its log', async () => {
    const { page, problems, shoot } = await openPage(browser, viewer.url, `#/trace/${otelTrace}`);
    await poll(() => page.locator('#waterfall [data-testid="span-row"]').count()).toBe(3);
    await page.locator('[data-testid="span-row"]', { hasText: 'INSERT orders' }).click();
    expect(await page.locator('#query-text pre').textContent()).toContain('INSERT INTO orders');
    await page.locator('[data-testid="span-row"]', { hasText: 'POST' }).last().click();
    expect(await page.locator('#span-failure').textContent()).toBe('502');
    await shoot('producer-otel-sdk');
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);

  it('groups the errors of every producer, with or without an exception event', async () => {
    const { page, problems, shoot } = await openPage(browser, viewer.url, '#/errors');
    await ready(page, 'errors');
    const rows = page.locator('[data-testid="error-row"]');
    await poll(() => rows.count()).toBe(2);
    // One each, the latest first.
    expect(await rows.locator('.exception-type').allTextContents()).toEqual(['TypeError', '502']);
    await shoot('producer-errors');
    await rows.first().locator('.trace-id-link').click();
    await poll(() => page.locator('#span-failure summary').textContent()).toBe('Stack trace');
    expect(await page.locator('#trace-logs').textContent()).toContain('cart pricing failed');
    await shoot('producer-dd-trace');
    expect(page.url()).toContain(ddTrace);
    expect(await problems()).toEqual([]);
    await page.close();
  }, 60_000);
});
