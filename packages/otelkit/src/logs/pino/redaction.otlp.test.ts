import { describeOtlpRedaction } from '../../test-support/otlp-redaction-contract.ts';

// The newest pino of otelkit's peer range (the workspace's own pino).
describeOtlpRedaction(10);
