// A loopback OTLP/HTTP trace sink in its own process, so that its CPU never
// counts against the process being measured. While the load runs it only
// drains bytes and acknowledges them (on a two-core machine its work competes
// with the measured process, so it does as little as it can); it counts the
// spans of what it acknowledged, by walking the protobuf, when asked for its
// stats. It can be told to hang or to refuse connections, for the outage soak.
//
// Prints `{"url": …, "control": …}` on stdout once listening. Control:
//   GET  /stats          {"spans", "requests", "bytes"}
//   POST /mode?to=ok|hang|refuse
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

type Mode = 'ok' | 'hang' | 'refuse';
let mode: Mode = 'ok';
/** Bodies acknowledged and not counted yet. */
let uncounted: Buffer[][] = [];
let spans = 0;
let requests = 0;
let bytes = 0;
const sockets = new Set<Socket>();
let port = 0;
let data: Server | undefined;

/** Spans in an `ExportTraceServiceRequest`: field 2 entries of each `ScopeSpans`. */
function countSpans(body: Uint8Array): number {
  let count = 0;
  walk(body, (field, value) => {
    if (field !== 1) return; // resource_spans
    walk(value, (field, value) => {
      if (field !== 2) return; // scope_spans
      walk(value, (field) => {
        if (field === 2) count++; // spans
      });
    });
  });
  return count;
}

/** Calls `visit` for each length-delimited field of a message. */
function walk(bytes: Uint8Array, visit: (field: number, value: Uint8Array) => void): void {
  let pos = 0;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[pos++]!;
      value += (byte & 127) * scale;
      if (byte < 128) return value;
      scale *= 128;
    }
  };
  while (pos < bytes.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) varint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const length = varint();
      visit(Math.floor(tag / 8), bytes.subarray(pos, pos + length));
      pos += length;
    } else throw new Error(`wire type ${wire}`);
  }
}

async function listenData(): Promise<void> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (mode === 'hang') return;
      if (req.headers['content-encoding'] === 'gzip')
        chunks.splice(0, chunks.length, gunzipSync(Buffer.concat(chunks)));
      uncounted.push(chunks);
      requests++;
      for (const chunk of chunks) bytes += chunk.length;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  data = server;
}

async function setMode(next: Mode): Promise<void> {
  if (next === 'refuse' && data) {
    const server = data;
    data = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  } else if (next !== 'refuse' && !data) {
    await listenData();
  }
  if (next === 'ok' && mode === 'hang') for (const socket of sockets) socket.destroy();
  mode = next;
}

await listenData();
const control = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://control');
  if (url.pathname === '/mode') await setMode(url.searchParams.get('to') as Mode);
  for (const body of uncounted) spans += countSpans(Buffer.concat(body));
  uncounted = [];
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ spans, requests, bytes, mode }));
});
control.listen(0, '127.0.0.1');
await once(control, 'listening');
const controlPort = (control.address() as AddressInfo).port;
console.log(
  JSON.stringify({
    url: `http://127.0.0.1:${port}/v1/traces`,
    control: `http://127.0.0.1:${controlPort}`,
  }),
);
process.on('disconnect', () => process.exit(0));
