import { STATUS_CODES } from 'node:http';

/** The answer to a failed request: status and JSON body. */
export interface ErrorResponse {
  readonly status: number;
  /** The JSON body, already serialized. */
  readonly body: string;
}

/** Longest error message sent to a client with a 4xx answer. */
const MAX_MESSAGE_LENGTH = 500;

/**
 * The 4xx status an error asks for through `statusCode` or `status` (the
 * convention of http-errors, Fastify and Hono), or `undefined`.
 */
export function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
    const code = typeof statusCode === 'number' ? statusCode : status;
    return typeof code === 'number' && code >= 400 && code <= 499 && Number.isInteger(code)
      ? code
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The safe answer to a thrown error. An error carrying a 4xx status gets that
 * status with the reason phrase and, unless it sets `expose: false`, its
 * message. Anything else gets `500` with exactly
 * `{"error":"Internal Server Error","traceId":"…"}`: no message, no stack.
 */
export function errorResponse(error: unknown, traceId: string | undefined): ErrorResponse {
  const status = clientErrorStatus(error) ?? 500;
  const body: Record<string, string> = { error: STATUS_CODES[status] ?? 'Error' };
  if (status !== 500) {
    const message = exposedMessage(error);
    if (message !== undefined) body.message = message;
  }
  if (traceId !== undefined) body.traceId = traceId;
  return { status, body: JSON.stringify(body) };
}

function exposedMessage(error: unknown): string | undefined {
  try {
    const { message, expose } = error as { message?: unknown; expose?: unknown };
    if (expose === false || typeof message !== 'string' || message === '') return undefined;
    return message.length > MAX_MESSAGE_LENGTH ? message.slice(0, MAX_MESSAGE_LENGTH) : message;
  } catch {
    return undefined;
  }
}
