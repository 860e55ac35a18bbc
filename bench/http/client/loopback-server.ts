// The other end of the client benchmarks, in a process of its own so that its
// CPU is not counted as the client's: a keep-alive node:http server on
// 127.0.0.1 that answers every request with a short body and counts them.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let requests = 0;
const server = createServer((_req, res) => {
  requests++;
  res.setHeader('content-type', 'application/json');
  res.end('{"ok":true}');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('message', (message: { count?: true }) => {
  if (message.count) process.send?.({ requests });
});
// The benchmark owns this process: it ends with its parent.
process.on('disconnect', () => process.exit(0));
