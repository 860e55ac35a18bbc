// The README's first example. Start a viewer (`npx otelkit-viewer`), run this
// file (`node examples/twenty-lines.ts` on Node 22.18+ or 24), open the viewer.
// expect-output: found Ada
// expect-span: users.get
// expect-span: SELECT users
import { SpanKind } from '@opentelemetry/api';
import { CategorizedError, retry, traced, withSpan } from 'otelkit';
import { setup } from 'otelkit/setup';

const telemetry = setup({ service: { name: 'users-api', version: '1.4.0' } });
const db = new Map([['42', { id: '42', name: 'Ada' }]]);

// An operation that names its own span: any object with `spanName` (and attributes).
const getUser = (id: string) => ({ spanName: 'users.get', spanAttributes: { 'user.id': id } });

const user = await traced(getUser('42'), () =>
  // Retries with backoff and jitter, each retry an event on the span.
  retry(() => withSpan('SELECT users', async () => db.get('42'), { kind: SpanKind.CLIENT })),
);
if (!user) throw new CategorizedError('user 42 not found', { category: 'not_found' });
console.log(`found ${user.name}`);
await telemetry.shutdown(); // flushes every signal; reports every failure together
