import { vi } from 'vitest';
import { describeFastifyLines } from '../../test-support/fastify-lines-contract.ts';
import { describeRedaction } from '../../test-support/redaction-contract.ts';

// The oldest pino of otelkit's peer range.
vi.mock('pino', async () => await import('pino-9'));

describeRedaction(9);
describeFastifyLines(9);
