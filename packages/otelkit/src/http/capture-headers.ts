/** Request headers that are never recorded, whatever `captureHeaders` lists. */
export const NEVER_CAPTURED: readonly string[] = [
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-api-key',
];

/** One header to record: its lower-case name and its span attribute. */
export interface CapturedHeader {
  readonly name: string;
  readonly attribute: string;
}

/**
 * Turns the `captureHeaders` option into the headers to record, once per
 * server: lower-cased, de-duplicated, and without the credential headers.
 */
export function compileCapturedHeaders(names: readonly string[] = []): readonly CapturedHeader[] {
  const seen = new Set<string>();
  const captured: CapturedHeader[] = [];
  for (const raw of names) {
    const name = String(raw).trim().toLowerCase();
    if (name === '' || seen.has(name) || NEVER_CAPTURED.includes(name)) continue;
    seen.add(name);
    captured.push({ name, attribute: `http.request.header.${name}` });
  }
  return captured;
}
