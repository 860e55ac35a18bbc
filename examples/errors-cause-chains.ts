// Errors that keep the whole story: a cause chain recorded on one span event,
// an error that describes itself with span attributes, errors joined like Go's
// errors.Join, and a classifier that decides what is worth retrying.
// expect-output: chain: RepositoryError -> DatabaseError -> Error
// expect-output: cleanup failed: 2 errors
// expect-output: retry ECONNRESET: true
// expect-output: retry UserNotFound: false
import { type Attributes, trace } from '@opentelemetry/api';
import {
  CategorizedError,
  classifyError,
  ErrorClassifier,
  errorChain,
  joinErrors,
  recordError,
  withSpan,
} from 'otelkit';
import { setup } from 'otelkit/setup';

const telemetry = setup({
  service: { name: 'errors-example' },
  exporter: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none',
});

/** A failed query that puts its own facts on the span, as Go's ToSpanAttributes does. */
class DatabaseError extends Error {
  override name = 'DatabaseError';
  readonly operation: string;
  constructor(message: string, operation: string, options?: ErrorOptions) {
    super(message, options);
    this.operation = operation;
  }
  toSpanAttributes(): Attributes {
    return { 'db.system.name': 'postgresql', 'db.operation.name': this.operation };
  }
}

class RepositoryError extends Error {
  override name = 'RepositoryError';
}

// 1. A three-level chain, recorded by withSpan as one exception event.
const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
  code: 'ECONNREFUSED',
});
const failure = new RepositoryError('could not load user u-7', {
  cause: new DatabaseError('query failed', 'SELECT', { cause: refused }),
});
await withSpan('users.load', async () => {
  throw failure;
}).catch((error: unknown) => {
  console.log(
    `chain: ${errorChain(error)
      .map((link) => link.type)
      .join(' -> ')}`,
  );
});

// 2. Run every cleanup, then report all failures at once.
const cleanups = [
  () => {
    throw new Error('cache flush failed');
  },
  () => {},
  () => {
    throw new Error('temp dir not removed');
  },
];
const failures = cleanups.map((cleanup) => {
  try {
    cleanup();
    return undefined;
  } catch (error) {
    return error;
  }
});
const joined = joinErrors(...failures);
if (joined instanceof AggregateError) {
  console.log(`cleanup failed: ${joined.errors.length} errors`);
  trace.getTracer('example').startActiveSpan('cleanup', (span) => {
    recordError(joined);
    span.end();
  });
}

// 3. Classify: the built-in rules, plus one of ours.
class UserNotFound extends CategorizedError {
  constructor(id: string) {
    super(`no user ${id}`, { category: 'not_found', severity: 'low', code: 'USER_NOT_FOUND' });
    this.name = 'UserNotFound';
  }
}
const classifier = new ErrorClassifier({ includeDefaults: true }).add(
  (error) => error instanceof Error && error.message.includes('deadlock'),
  { category: 'database', retryable: true },
);
const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
console.log(`retry ECONNRESET: ${classifier.classify(reset).retryable}`);
console.log(`retry UserNotFound: ${classifyError(new UserNotFound('u-9')).retryable}`);

await telemetry.shutdown();
