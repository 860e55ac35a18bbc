import { vi } from 'vitest';
import { describeOtlpRedaction } from '../../test-support/otlp-redaction-contract.ts';

// The oldest pino of otelkit's peer range.
vi.mock('pino', async () => await import('pino-9'));

describeOtlpRedaction(9);
