// One fresh process: `node time-import.mjs <specifier>` imports the module and
// prints how long the import took, as `{"ms":N}`. The benchmark copies this file
// into the fresh app, so that the import resolves what the app installed. Plain
// JavaScript, so that the copy runs as it is.
const specifier = String(process.argv[2]);
const start = performance.now();
await import(specifier);
process.stdout.write(`${JSON.stringify({ ms: performance.now() - start })}\n`);
