import { SeverityNumber } from '@opentelemetry/api';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RejectionWatch,
  watchUnhandledRejections,
} from '../test-support/unhandled-rejections.ts';
import { isOtlpExportError } from './otlp-export-error.ts';
import { OtlpLogRecordProcessor } from './otlp-log-record-processor.ts';
import { closedPort } from './test-support/closed-port.ts';
import { type FakeOtlpBackend, startFakeOtlpBackend } from './test-support/fake-otlp-backend.ts';
import { canonical, decodeRequest } from './test-support/otlp-messages.ts';
import { expectEveryRecordAccounted, selfMetrics } from './test-support/self-metrics.ts';

let backend: FakeOtlpBackend | undefined;
let rejections: RejectionWatch | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
  await backend?.stop();
  backend = undefined;
  rejections?.stop();
});

describe('OtlpLogRecordProcessor', () => {
  it('sends log records that decode to what the official serializer makes of them', async () => {
    backend = await startFakeOtlpBackend('logs');
    const memory = new InMemoryLogRecordExporter();
    const processor = new OtlpLogRecordProcessor({ url: backend.url });
    cleanups.push(() => processor.shutdown());
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'logs' }),
      processors: [processor, new SimpleLogRecordProcessor({ exporter: memory })],
    });
    const logger = provider.getLogger('app', '1.0.0');
    logger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: {
        message: 'disk almost full',
        free: 0.05,
        mounts: ['/', '/data'],
        raw: new Uint8Array([1, 2]),
      },
      attributes: { 'disk.device': 'sda1' },
      eventName: 'disk.pressure',
    });
    logger.emit({ body: 'plain', severityNumber: SeverityNumber.INFO });
    await processor.forceFlush();

    const ours = canonical('logs', decodeRequest('logs', backend.requests[0]!.body));
    const official = ProtobufLogsSerializer.serializeRequest(
      memory.getFinishedLogRecords() as never,
    )!;
    expect(ours).toEqual(canonical('logs', decodeRequest('logs', official)));
  });

  it('counts every record with the log names of the conventions when the connection is refused', async () => {
    rejections = watchUnhandledRejections();
    const url = `http://127.0.0.1:${await closedPort()}/v1/logs`;
    const metrics = selfMetrics('log');
    const processor = new OtlpLogRecordProcessor({
      url,
      maxRetryTimeMs: 200,
      meterProvider: metrics.meterProvider,
    });
    cleanups.push(() => processor.shutdown());
    const logger = new LoggerProvider({ processors: [processor] }).getLogger('app');
    for (let i = 0; i < 6; i++) logger.emit({ body: `line ${i}` });

    const error = await processor.forceFlush().catch((reason: unknown) => reason);
    expect(isOtlpExportError(error)).toBe(true);
    expect(String(error)).toContain(
      `6 log records were not exported to ${url}: connection refused`,
    );
    await processor.shutdown();
    logger.emit({ body: 'after shutdown' });

    const accounting = await metrics.collect();
    expectEveryRecordAccounted(accounting, 7, 0);
    expect(accounting.exported).toEqual({ ECONNREFUSED: 6 });
    expect(accounting.processed.already_shutdown).toBe(1);
    const exported = accounting.points.find((p) => p.name === 'otel.sdk.exporter.log.exported');
    expect(exported?.attributes['otel.component.type']).toBe('otlp_http_log_exporter');
    const processed = accounting.points.find((p) => p.name === 'otel.sdk.processor.log.processed');
    expect(processed?.attributes['otel.component.type']).toBe('batching_log_processor');
    expect(await rejections.settle()).toEqual([]);
  });

  it('delivers records emitted as a burst, all of them', async () => {
    backend = await startFakeOtlpBackend('logs');
    const metrics = selfMetrics('log');
    const processor = new OtlpLogRecordProcessor({
      url: backend.url,
      meterProvider: metrics.meterProvider,
    });
    const logger = new LoggerProvider({ processors: [processor] }).getLogger('burst');
    for (let i = 0; i < 5000; i++) logger.emit({ body: `request ${i} done`, attributes: { i } });
    await processor.shutdown();

    expect(backend.delivered).toBe(5000);
    expectEveryRecordAccounted(await metrics.collect(), 5000, 5000);
  });
});
