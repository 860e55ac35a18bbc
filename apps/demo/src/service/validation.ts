import { ApiError } from './errors.ts';

/** A positive integer id from a path parameter, or a 400. */
export function parseUserId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new ApiError(`invalid user id "${raw.slice(0, 32)}"`, 'validation', 'INVALID_ID');
  }
  return id;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The body of `POST /users`, validated, or a 400 with a message that says what is wrong. */
export function parseNewUser(body: unknown): { name: string; email: string } {
  if (typeof body !== 'object' || body === null) {
    throw new ApiError(
      'body must be a JSON object with name and email',
      'validation',
      'INVALID_BODY',
    );
  }
  const { name, email } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 100) {
    throw new ApiError(
      'name must be a string of 1 to 100 characters',
      'validation',
      'INVALID_NAME',
    );
  }
  if (typeof email !== 'string' || !EMAIL.test(email) || email.length > 200) {
    throw new ApiError('email must be a valid address', 'validation', 'INVALID_EMAIL');
  }
  return { name: name.trim(), email: email.toLowerCase() };
}
