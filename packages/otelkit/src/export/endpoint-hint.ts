const DOUBLED_SIGNAL_PATH = /\/v1\/(traces|metrics|logs)\/v1\/(traces|metrics|logs)\/?$/;

/**
 * What to change when an OTLP endpoint answers 404 because its URL ends in
 * `/v1/{signal}` twice: the base endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`)
 * was given with the signal's path, which is appended to it again. `undefined`
 * for any other URL.
 */
export function notFoundHint(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const doubled = DOUBLED_SIGNAL_PATH.exec(path);
  if (doubled === null) return undefined;
  return `the base endpoint already ended in /v1/${doubled[1]}: drop that path from OTEL_EXPORTER_OTLP_ENDPOINT, /v1/{signal} is appended to it`;
}
