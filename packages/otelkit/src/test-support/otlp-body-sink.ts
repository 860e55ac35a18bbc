import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One OTLP/HTTP request as it arrived. */
export interface ReceivedBody {
  /** `/v1/traces`, `/v1/logs` or `/v1/metrics`. */
  readonly path: string;
  /** The body, decompressed when it was sent gzipped. */
  readonly body: Buffer;
}

/** An OTLP/HTTP endpoint on 127.0.0.1 that keeps the bytes of every request. */
export interface OtlpBodySink {
  /** The base endpoint, without `/v1/{signal}`. */
  readonly url: string;
  readonly received: ReceivedBody[];
  close(): Promise<void>;
}

/** Starts an OTLP/HTTP endpoint on a free loopback port that answers every export with 200. */
export async function startOtlpBodySink(): Promise<OtlpBodySink> {
  const received: ReceivedBody[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    received.push({ path: req.url ?? '', body });
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
