import { randomUUID } from 'node:crypto';

/** What an incoming request id may look like to be trusted and echoed back. */
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * The request id to use: the incoming header value when it is a short token
 * (letters, digits and `_.:@/+=-`, at most 128 characters), otherwise a new
 * random UUID. A hostile value is never echoed into a response header.
 */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && ACCEPTABLE_ID.test(value) ? value : randomUUID();
}
