// One fresh process: `node time-import.ts <specifier>` imports the module and
// prints how long the import took, as `{"ms":N}`. Run without the
// otelkit-source condition, `otelkit` resolves to its built `dist`, as users get it.
const specifier = process.argv[2]!;
const start = performance.now();
await import(specifier);
process.stdout.write(`${JSON.stringify({ ms: performance.now() - start })}\n`);
