/**
 * The flags of a child Node that runs otelkit from its TypeScript sources:
 * the `otelkit-source` condition, and type stripping where it is not on by
 * default yet (Node 22 before 22.18, which the oldest supported version is).
 */
export const SOURCE_NODE_FLAGS: readonly string[] = process.features.typescript
  ? ['--conditions=otelkit-source']
  : [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      '--conditions=otelkit-source',
    ];
