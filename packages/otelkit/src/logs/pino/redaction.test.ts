import { describeFastifyLines } from '../../test-support/fastify-lines-contract.ts';
import { describeRedaction } from '../../test-support/redaction-contract.ts';

// The newest pino of otelkit's peer range (the workspace's own pino).
describeRedaction(10);
describeFastifyLines(10);
