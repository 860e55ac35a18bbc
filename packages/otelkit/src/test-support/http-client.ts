import { once } from 'node:events';
import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

/** Starts `server` on 127.0.0.1 at an ephemeral port and returns its base URL. */
export async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Closes `server`, dropping idle keep-alive connections. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A plain response: status, headers, body text. */
export interface PlainResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** `fetch`, reading the body, so the server has answered in full when it resolves. */
export async function request(url: string, init?: RequestInit): Promise<PlainResponse> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Sends raw bytes on a fresh connection and returns whatever comes back before it closes. */
export async function rawRequest(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.end(bytes);
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  await once(socket, 'close');
  return text;
}

/** Waits until `check` passes: for spans that end on the response's `close`, just after the client has the body. */
export async function eventually<T>(check: () => T, attempts = 100): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return check();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
