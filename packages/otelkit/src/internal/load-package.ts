import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * Loads a package the moment a configuration needs it, so that
 * `import 'otelkit/setup'` costs only what every setup uses and an exporter
 * nobody chose is never loaded. `setup()` is synchronous, so the package's ES
 * module entry is resolved as `import` resolves it and loaded with `require()`
 * (Node.js 22.12+ loads ES modules that way): the same module instance an
 * `import` of it gets, hence the same SDK classes.
 */
export function loadPackage<T>(specifier: string): T {
  return require(fileURLToPath(import.meta.resolve(specifier))) as T;
}

/** Whether `specifier` resolves from otelkit, i.e. the package is installed where otelkit sees it. */
export function isInstalled(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** The range otelkit's `package.json` asks of the optional peer `name`, for install hints. */
export function peerRange(name: string): string | undefined {
  try {
    // Two levels up from both `src/setup/` and `dist/setup/`.
    const pkg = require('../../package.json') as { peerDependencies?: Record<string, string> };
    return pkg.peerDependencies?.[name];
  } catch {
    return undefined;
  }
}
