/** Query keys whose values are credentials in signed URLs (compared case-insensitively). */
const SIGNED_URL_KEYS: ReadonlySet<string> = new Set([
  'sig',
  'signature',
  'awsaccesskeyid',
  'x-goog-signature',
]);

/** Keys that name a secret anywhere in them. */
const SECRET_KEY = /token|secret|password|api[-_]?key|auth/i;

/** What a sensitive value is replaced with. */
export const REDACTED = 'REDACTED';

/** Whether a query parameter's value must never be recorded. */
export function isSensitiveQueryKey(key: string): boolean {
  return SIGNED_URL_KEYS.has(key.toLowerCase()) || SECRET_KEY.test(key);
}

/**
 * The query string (without `?`) with the values of sensitive keys replaced by
 * `REDACTED`: signed-URL keys (`sig`, `signature`, `AWSAccessKeyId`,
 * `X-Goog-Signature`) and keys containing token, secret, password, api_key or
 * auth. Everything else is kept byte for byte, still percent-encoded.
 *
 * @example
 * redactQuery('q=shoes&access_token=abc'); // 'q=shoes&access_token=REDACTED'
 */
export function redactQuery(query: string): string {
  if (query === '') return query;
  const pairs = query.split('&');
  let changed = false;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    if (isSensitiveQueryKey(decodeKey(pair.slice(0, eq)))) {
      pairs[i] = `${pair.slice(0, eq + 1)}${REDACTED}`;
      changed = true;
    }
  }
  return changed ? pairs.join('&') : query;
}

function decodeKey(key: string): string {
  if (!key.includes('%') && !key.includes('+')) return key;
  try {
    return decodeURIComponent(key.replaceAll('+', ' '));
  } catch {
    // A malformed escape cannot hide a key from the raw check either.
    return key;
  }
}
