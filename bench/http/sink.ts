import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { countSpans, type SpanCounts } from './count-spans.ts';

/** A loopback OTLP/HTTP receiver for one server: it only drains, and counts the spans afterwards. */
export interface OtlpSink {
  /** The base URL for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** Stops receiving and counts the spans of every trace export received. */
  close(): Promise<SpanCounts>;
}

// Bodies are kept and counted after the measured window, so the sink takes as
// little CPU as possible from the server next to it; past this many bytes held
// they are counted at once, so memory stays bounded.
const HOLD_AT_MOST = 64 * 1024 * 1024;

/**
 * Starts a sink on 127.0.0.1 that answers every export with 200 and an empty
 * protobuf response. Each arm of a run gets its own, so their counts never mix.
 */
export async function startSink(): Promise<OtlpSink> {
  const counts: SpanCounts = { spans: 0, rootServerSpans: 0 };
  let held: Buffer[] = [];
  let heldBytes = 0;
  const countHeld = () => {
    for (const body of held) countSpans(body, counts);
    held = [];
    heldBytes = 0;
  };
  const server = createServer((req, res) => {
    const traces = req.url === '/v1/traces';
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (traces) chunks.push(chunk);
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
      if (!traces) return;
      const body = Buffer.concat(chunks);
      held.push(req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body);
      heldBytes += body.length;
      if (heldBytes > HOLD_AT_MOST) countHeld();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      countHeld();
      return counts;
    },
  };
}
