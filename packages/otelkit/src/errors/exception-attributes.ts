import type { Attributes } from '@opentelemetry/api';
import { errorMessage, errorType, hasFields, stackOf } from './describe-error.ts';

/**
 * The attributes that describe an error and everything it wraps, the same on
 * a span's `exception` event and on a log record: `exception.type`,
 * `exception.message`, the outer error's `exception.stacktrace`, and
 * `exception.chain.types` / `exception.chain.messages` for the whole chain
 * (`chain` as `collectChain` lists it, the outer error first).
 */
export function exceptionAttributes(error: unknown, chain: readonly unknown[]): Attributes {
  const types: string[] = [];
  const messages: string[] = [];
  for (const link of chain) {
    types.push(errorType(link));
    messages.push(errorMessage(link));
  }
  // Constant keys keep this literal on V8's fast path; `undefined` values are dropped by the SDK.
  return {
    'exception.type': types[0],
    'exception.message': messages[0],
    // Only the outer error's stack: formatting a stack is costly, and the
    // chain of types and messages says what the causes' stacks would.
    'exception.stacktrace': outerStack(error),
    'exception.chain.types': types,
    'exception.chain.messages': messages,
  };
}

function outerStack(error: unknown): string | undefined {
  if (!hasFields(error)) return undefined;
  const stack = stackOf(error);
  return typeof stack === 'string' ? stack : undefined;
}
