import {
  causeOf,
  errorMessage,
  errorsOf,
  errorType,
  hasFields,
  isInstance,
  readProperty,
} from './describe-error.ts';

/** One error of a chain, as `errorChain()` lists it. */
export interface ErrorLink {
  /** The error (or any thrown value) itself. */
  readonly error: unknown;
  /** Its type: the error's `name`, or its class name when `name` is plain `Error`. */
  readonly type: string;
  /** Its message. */
  readonly message: string;
  /** How far below the outer error it sits; the outer error is 0. */
  readonly depth: number;
}

/** Levels followed below the outer error: links deeper than this are left out. */
export const MAX_CHAIN_DEPTH = 8;
/** Links listed at most. */
export const MAX_CHAIN_LENGTH = 32;

/**
 * Lists an error and everything it wraps, outer error first, depth-first:
 * an `AggregateError`'s `errors` (and a `SuppressedError`'s `error` then
 * `suppressed`) before its `cause`. Safe with cycles, hostile getters and
 * non-`Error` values; stops at depth 8 and 32 links. Stacks are never read.
 *
 * @example
 * const chain = errorChain(new Error('save failed', { cause: dbError }));
 * chain.map((link) => link.message); // ['save failed', 'connection refused']
 */
export function errorChain(error: unknown): ErrorLink[] {
  const errors: unknown[] = [];
  const depths: number[] = [];
  collectChain(error, errors, depths);
  const links: ErrorLink[] = [];
  for (let i = 0; i < errors.length; i++) {
    const value = errors[i];
    links.push({
      error: value,
      type: errorType(value),
      message: errorMessage(value),
      depth: depths[i]!,
    });
  }
  return links;
}

/**
 * Joins errors into one, like Go's `errors.Join`: `undefined` when every
 * argument is nullish, the error itself when only one is left, otherwise an
 * `AggregateError` of them whose message lists theirs, one per line.
 *
 * @example
 * const failure = joinErrors(...results.map((r) => r.error));
 * if (failure) throw failure;
 */
export function joinErrors<E>(
  ...errors: readonly (E | null | undefined)[]
): E | AggregateError | undefined {
  const present = errors.filter((error): error is E => error != null);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return new AggregateError(present, present.map(errorMessage).join('\n'));
}

/**
 * Appends `error` and what it wraps to `errors` (and each one's depth to
 * `depths`, when given). Shared by `errorChain` and `recordError`, which
 * needs no link objects.
 */
export function collectChain(error: unknown, errors: unknown[], depths?: number[]): void {
  visit(error, 0, errors, depths);
}

function visit(value: unknown, depth: number, errors: unknown[], depths?: number[]): void {
  if (errors.length >= MAX_CHAIN_LENGTH || depth > MAX_CHAIN_DEPTH) return;
  const isObject = hasFields(value);
  // A chain holds at most 32 links, so a linear scan is cheaper than a Set.
  if (isObject && errors.includes(value)) return;
  errors.push(value);
  depths?.push(depth);
  if (!isObject) return;
  const inner = errorsOf(value);
  if (inner !== undefined && isArray(inner) && isInstance(value, Error)) {
    const length = readProperty(inner, 'length') as number;
    for (let i = 0; i < length && errors.length < MAX_CHAIN_LENGTH; i++) {
      visit(readProperty(inner, i), depth + 1, errors, depths);
    }
  }
  if (isSuppressedError(value)) {
    visit(readProperty(value, 'error'), depth + 1, errors, depths);
    visit(readProperty(value, 'suppressed'), depth + 1, errors, depths);
  }
  const cause = causeOf(value);
  if (cause !== undefined && cause !== null) visit(cause, depth + 1, errors, depths);
}

// `SuppressedError` (thrown by `using` and `DisposableStack`) is missing before Node 24,
// where code compiled by TypeScript throws an `Error` named so, with the same two fields.
const Suppressed = typeof SuppressedError === 'function' ? SuppressedError : undefined;

function isSuppressedError(value: unknown): boolean {
  if (Suppressed !== undefined && isInstance(value, Suppressed)) return true;
  if (typeof value !== 'object' || value === null) return false;
  return (
    readProperty(value, 'name') === 'SuppressedError' &&
    readProperty(value, 'error') !== undefined &&
    readProperty(value, 'suppressed') !== undefined
  );
}

function isArray(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}
