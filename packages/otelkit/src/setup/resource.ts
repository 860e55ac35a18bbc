import { randomUUID } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  type Resource,
  type ResourceDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { VERSION } from '../internal/version.ts';
import type { SetupOptions } from './setup-options.ts';

/**
 * The process detector without the command line: arguments often carry
 * secrets (tokens, connection strings) that must never leave the process.
 */
const safeProcessDetector: ResourceDetector = {
  detect(config) {
    const { attributes = {} } = processDetector.detect(config);
    const { 'process.command_args': _args, 'process.command_line': _line, ...safe } = attributes;
    return { attributes: safe };
  },
};

/**
 * SDK defaults < host and process < `OTEL_SERVICE_NAME`/`OTEL_RESOURCE_ATTRIBUTES`
 * < `resourceAttributes` < `service`: code wins over the environment.
 */
export function buildResource(options: SetupOptions): Resource {
  const detected = defaultResource().merge(
    detectResources({ detectors: [hostDetector, safeProcessDetector, envDetector] }),
  );
  // Read the environment's attributes directly: the host detector's are still settling.
  const fromEnv = envDetector.detect().attributes ?? {};
  const { service } = options;
  const fromCode: Attributes = {
    'telemetry.distro.name': 'otelkit',
    'telemetry.distro.version': VERSION,
    ...options.resourceAttributes,
    ...defined({
      'service.name': service?.name,
      'service.version': service?.version,
      'deployment.environment.name': service?.environment,
      'deployment.id': service?.deploymentId,
      'cloud.region': service?.region,
      'service.instance.id': service?.instanceId,
    }),
  };
  const hasInstanceId =
    fromCode['service.instance.id'] !== undefined || fromEnv['service.instance.id'] !== undefined;
  if (!hasInstanceId) fromCode['service.instance.id'] = randomUUID();
  return detected.merge(resourceFromAttributes(fromCode));
}

function defined(attributes: Record<string, string | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}
