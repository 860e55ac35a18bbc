/** A DevTools protocol channel: a process over its inspector, or one of its worker threads. */
export interface ProtocolChannel {
  /** Sends a command; resolves with its result, rejects with its error. */
  send<T = unknown>(method: string, params?: object): Promise<T>;
}

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message: string };
}

/**
 * A DevTools protocol session with one Node.js process over the WebSocket its
 * `--inspect` flag opened (Node's global `WebSocket`; no add-on, no dependency).
 */
export class InspectorSession implements ProtocolChannel {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #workers = new Map<string, Map<number, Pending>>();
  readonly #listeners = new Map<string, Array<(params: Record<string, unknown>) => void>>();
  #nextId = 1;
  #open = true;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => this.#receive(String(event.data)));
    socket.addEventListener('close', () =>
      this.#fail(new Error('the inspector connection closed')),
    );
  }

  /** Connects to the inspector at `url` (`ws://127.0.0.1:…`), failing after `timeoutMs`. */
  static connect(url: string, timeoutMs: number): Promise<InspectorSession> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`no answer from the inspector at ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve(new InspectorSession(socket));
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new Error(`could not connect to the inspector at ${url}`));
      });
    });
  }

  /** Whether the connection is still open. */
  get open(): boolean {
    return this.#open;
  }

  send<T = unknown>(method: string, params: object = {}): Promise<T> {
    return this.#request(this.#pending, method, params, (message) => message);
  }

  /** A channel to the worker thread attached as `sessionId` (from `NodeWorker.attachedToWorker`). */
  worker(sessionId: string): ProtocolChannel {
    let pending = this.#workers.get(sessionId);
    if (pending === undefined) {
      pending = new Map();
      this.#workers.set(sessionId, pending);
    }
    const requests = pending;
    return {
      send: <T>(method: string, params: object = {}) =>
        this.#request<T>(requests, method, params, (message) => ({
          id: this.#nextId++,
          method: 'NodeWorker.sendMessageToWorker',
          params: { sessionId, message: JSON.stringify(message) },
        })),
    };
  }

  /** Calls `listener` with the params of each `method` event. */
  on(method: string, listener: (params: Record<string, unknown>) => void): void {
    const list = this.#listeners.get(method) ?? [];
    list.push(listener);
    this.#listeners.set(method, list);
  }

  /** Closes the connection; commands still waiting reject. */
  close(): void {
    if (this.#open) this.#socket.close();
    this.#fail(new Error('the inspector connection closed'));
  }

  #request<T>(
    pending: Map<number, Pending>,
    method: string,
    params: object,
    wrap: (message: Message) => Message,
  ): Promise<T> {
    if (!this.#open) return Promise.reject(new Error(`${method}: the inspector connection closed`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject });
      this.#socket.send(JSON.stringify(wrap({ id, method, params: params as Message['params'] })));
    });
  }

  #receive(data: string): void {
    const message = JSON.parse(data) as Message;
    if (message.id !== undefined) {
      settle(this.#pending, message);
      return;
    }
    if (message.method === 'NodeWorker.receivedMessageFromWorker') {
      const { sessionId, message: inner } = message.params as {
        sessionId: string;
        message: string;
      };
      const reply = JSON.parse(inner) as Message;
      const pending = this.#workers.get(sessionId);
      if (reply.id !== undefined && pending !== undefined) settle(pending, reply);
      return;
    }
    if (message.method === 'NodeWorker.detachedFromWorker') {
      const { sessionId } = message.params as { sessionId: string };
      const pending = this.#workers.get(sessionId);
      if (pending !== undefined) rejectAll(pending, new Error('the worker thread ended'));
      this.#workers.delete(sessionId);
    }
    for (const listener of this.#listeners.get(message.method ?? '') ?? []) {
      listener(message.params ?? {});
    }
  }

  #fail(error: Error): void {
    this.#open = false;
    rejectAll(this.#pending, error);
    for (const pending of this.#workers.values()) rejectAll(pending, error);
  }
}

function settle(pending: Map<number, Pending>, message: Message): void {
  const request = pending.get(message.id!);
  if (request === undefined) return;
  pending.delete(message.id!);
  if (message.error) request.reject(new Error(`${request.method}: ${message.error.message}`));
  else request.resolve(message.result);
}

function rejectAll(pending: Map<number, Pending>, error: Error): void {
  for (const request of pending.values()) request.reject(error);
  pending.clear();
}
