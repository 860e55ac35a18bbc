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
 * convention of http-errors, Fastify and Express), or `undefined`: the
 * client's error, not a failure of the server.
 */
export function clientErrorStatus(error: unknown): number | undefined {
  const status = errorStatus(error);
  return status !== undefined && status < 500 ? status : undefined;
}

/** The error status (400 to 599) an error asks for through `statusCode`, else `status`, or `undefined`. */
export function errorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
    const code = typeof statusCode === 'number' ? statusCode : status;
    return typeof code === 'number' && code >= 400 && code <= 599 && Number.isInteger(code)
      ? code
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The body of a 5xx answer to a thrown error: exactly
 * `{"error":"Internal Server Error","traceId":"…"}` (the status's reason
 * phrase): no message, no stack, nothing of the error.
 */
export function safeErrorBody(status: number, traceId: string | undefined): string {
  const body: Record<string, string> = { error: STATUS_CODES[status] ?? 'Error' };
  if (traceId !== undefined) body.traceId = traceId;
  return JSON.stringify(body);
}

/**
 * The answer to a thrown error where no framework gives one (`node:http`):
 * the status the error asks for, else `500`. A 4xx answer carries the reason
 * phrase and, unless the error sets `expose: false`, its message; a 5xx answer
 * is the safe body (see `safeErrorBody`).
 */
export function errorResponse(error: unknown, traceId: string | undefined): ErrorResponse {
  const status = errorStatus(error) ?? 500;
  if (status >= 500) return { status, body: safeErrorBody(status, traceId) };
  const body: Record<string, string> = { error: STATUS_CODES[status] ?? 'Error' };
  const message = exposedMessage(error);
  if (message !== undefined) body.message = message;
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
