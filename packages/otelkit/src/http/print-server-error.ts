/**
 * Prints a request's failure as Node.js prints an error nobody caught, and as
 * Express's and Hono's default handlers print one: `console.error(error)`,
 * the stack with its causes. Never throws.
 */
export function printServerError(error: unknown): void {
  try {
    console.error(error);
  } catch {
    // A broken console never breaks the answer.
  }
}
