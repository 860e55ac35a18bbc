// Run as a child process by a test: exports to the URL in argv[2] (a backend
// that never answers), shuts down, and must then exit by itself.
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { OtlpSpanProcessor } from '../otlp-span-processor.ts';

const processor = new OtlpSpanProcessor({ url: process.argv[2], timeoutMs: 300 });
const provider = new TracerProvider({ spanProcessors: [processor] });
provider.getTracer('exit').startSpan('pending').end();
await processor.forceFlush().catch(() => {}); // the request is now open, and hangs
await provider.shutdown().catch((error: Error) => console.log(error.name));
console.log('shut down');
