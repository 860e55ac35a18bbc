import { fileURLToPath } from 'node:url';
import type { CallFrame } from './cpu-profile.ts';
import type { FindPackage } from './package-of-file.ts';

/** The groups busy CPU is split into, in the order the report lists them. */
export const GROUPS = [
  'service',
  'otelkit',
  'SDK spans',
  'SDK metrics',
  'SDK logs',
  'export',
  'framework',
  "Node's HTTP and networking",
  'GC',
  'other',
] as const;

/** A group of busy CPU. */
export type Group = (typeof GROUPS)[number];

/** The groups whose CPU is the telemetry's cost. */
export const TELEMETRY_GROUPS: ReadonlySet<Group> = new Set<Group>([
  'otelkit',
  'SDK spans',
  'SDK metrics',
  'SDK logs',
  'export',
]);

/** Where a frame's own module places it. */
export interface Placement {
  /**
   * The frame's group; `idle` and `program` are not busy CPU; `undefined` means
   * the frame has no module of its own worth a group and takes its caller's.
   */
  group: Group | 'idle' | 'program' | undefined;
  /** What placed it, for the report's breakdown of "other": a package name, `Node.js internals`, or `unplaced`. */
  source: string;
}

/** Packages of the web frameworks and the parts they are built from. */
const FRAMEWORKS = new Set([
  'fastify',
  'avvio',
  'find-my-way',
  'fast-json-stringify',
  'light-my-request',
  'secure-json-parse',
  'toad-cache',
  'abstract-logging',
  'express',
  'router',
  'body-parser',
  'finalhandler',
  'path-to-regexp',
  'serve-static',
  'send',
  'on-finished',
  'parseurl',
  'proxy-addr',
  'type-is',
  'raw-body',
  'hono',
  'koa',
  'koa-compose',
  'koa-router',
  'restify',
  'polka',
  'h3',
]);
const FRAMEWORK_SCOPES = ['@fastify/', '@hono/', '@koa/', '@hapi/', '@nestjs/'];

/** Node's own modules that move HTTP requests and bytes on sockets. */
const NODE_NETWORKING =
  /^node:(?:(?:_http_\w+|https?|http2|net|tls|_tls_\w+|dns|dgram|internal\/(?:http|net|stream_base_commons|js_stream_socket))(?:$|[/.])|internal\/(?:http2|dns|tls|deps\/undici|deps\/llhttp)\/)/;

/**
 * otelkit's error classes (`CategorizedError`, `RetryError`, …): a vocabulary
 * for the app's errors, not telemetry. Building one (its stack trace above
 * all) is the work of whoever builds it: the app's own classes that extend
 * them, or otelkit when it throws one itself.
 */
export const OTELKIT_ERROR_CLASS_FILES: ReadonlySet<string> = new Set([
  'categorized-error',
  'otlp-export-error',
  'retry-error',
  'setup-error',
  'sla-violation-error',
  'slo-file-error',
]);

/**
 * Places a frame by the module its code comes from, never by its function
 * name: a package by name (found through `findPackage`), the service's own
 * files (anything outside `node_modules` that is not a known package), Node's
 * networking modules. Native code and Node's other internals take their
 * caller's group: a stream write under an HTTP response is HTTP work,
 * `AsyncLocalStorage.run` under the SDK's context manager is telemetry. So do
 * otelkit's error classes, whose constructors the app runs for its own errors.
 */
export function placeFrame(frame: CallFrame, findPackage: FindPackage): Placement {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(idle)') return { group: 'idle', source: 'idle' };
    if (functionName === '(program)') return { group: 'program', source: 'program' };
    if (functionName === '(garbage collector)') return { group: 'GC', source: 'V8' };
    return { group: undefined, source: 'unplaced' };
  }
  if (url.startsWith('node:')) {
    return NODE_NETWORKING.test(url)
      ? { group: "Node's HTTP and networking", source: 'Node.js' }
      : { group: undefined, source: 'Node.js internals' };
  }
  const path = filePath(url);
  if (path === undefined) return { group: undefined, source: 'unplaced' };
  const found = findPackage(path);
  // A loose script with no package.json anywhere above it is the service itself.
  if (found === undefined) return { group: 'service', source: 'service' };
  const inside = path.slice(found.root.length + 1).replaceAll('\\', '/');
  if (found.name === 'otelkit' && OTELKIT_ERROR_CLASS_FILES.has(moduleName(inside))) {
    return { group: undefined, source: 'otelkit' };
  }
  const group = packageGroup(found.name, inside) ?? (found.installed ? 'other' : 'service');
  return { group, source: found.name };
}

/** `retry-error` of `dist/resilience/retry-error.js`. */
function moduleName(inside: string): string {
  return inside.slice(inside.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]s$/, '');
}

/** The group of a known package, given the file's path inside it. */
function packageGroup(name: string, inside: string): Group | undefined {
  if (name === 'otelkit') {
    // The OTLP export path: `src/export/` (or `dist/export/`).
    return /(?:^|\/)export\//.test(inside) ? 'export' : 'otelkit';
  }
  if (name.startsWith('@opentelemetry/')) {
    const part = name.slice('@opentelemetry/'.length);
    if (/^(?:exporter-|otlp-)/.test(part)) return 'export';
    if (part === 'sdk-metrics' || (part === 'api' && /(?:^|\/)metrics[/.-]/.test(inside)))
      return 'SDK metrics';
    if (part === 'sdk-logs' || part === 'api-logs') return 'SDK logs';
    // The trace SDK, context propagation, core, resources, instrumentations.
    return 'SDK spans';
  }
  if (FRAMEWORKS.has(name) || FRAMEWORK_SCOPES.some((scope) => name.startsWith(scope)))
    return 'framework';
  return undefined;
}

/** The file path of a `file:` URL or an absolute path; `undefined` for `wasm:`, `data:`, eval code. */
function filePath(url: string): string | undefined {
  if (url.startsWith('file:')) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  if (url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url)) return url;
  return undefined;
}
