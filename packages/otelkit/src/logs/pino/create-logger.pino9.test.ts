import { vi } from 'vitest';
import { describeCreateLogger } from '../../test-support/create-logger-contract.ts';
import { describeLogLines } from '../../test-support/log-line-contract.ts';

// The oldest pino of otelkit's peer range: the logger relies on pino.symbols,
// so both ends of the range run the whole behaviour.
vi.mock('pino', async () => await import('pino-9'));

describeCreateLogger(9);
describeLogLines(9);
