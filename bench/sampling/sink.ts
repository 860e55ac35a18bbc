import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Census } from './census.ts';

/** A loopback OTLP/HTTP receiver for one server; it takes the census of traces when closed. */
export interface SamplingSink {
  /** The base URL for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** Stops receiving and takes the census of every trace export received. */
  close(): Promise<Census>;
}

// Bodies are held and decoded after the measured window, so the sink takes as
// little CPU as it can from the server beside it; past this many bytes held
// they are decoded at once, so memory stays bounded.
const HOLD_AT_MOST = 64 * 1024 * 1024;

/** Starts a sink on 127.0.0.1 that answers every export with 200. */
export async function startSamplingSink(): Promise<SamplingSink> {
  const census = new Census();
  let held: Buffer[] = [];
  let heldBytes = 0;
  const decodeHeld = () => {
    for (const body of held) census.add(body);
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
      census.bytes += body.length;
      held.push(req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body);
      heldBytes += body.length;
      if (heldBytes > HOLD_AT_MOST) decodeHeld();
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
      decodeHeld();
      return census;
    },
  };
}
