// Ingest and query benchmarks of otelkit-viewer (see run.ts for the options).
import './run.ts';
