import { describeCreateLogger } from '../../test-support/create-logger-contract.ts';
import { describeLogLines } from '../../test-support/log-line-contract.ts';

// The newest pino of otelkit's peer range (the workspace's own pino).
describeCreateLogger(10);
describeLogLines(10);
