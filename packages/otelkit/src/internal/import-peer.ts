/**
 * Imports an optional peer dependency of an otelkit entry, failing with an
 * error that says what to install instead of Node's bare "Cannot find package".
 * `install` is the command the message gives.
 */
export async function importPeer<T>(
  specifier: string,
  entry: string,
  peer: string,
  install = `npm install ${peer}`,
): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    if (!isMissing(error, peer)) throw error;
    throw new Error(`${entry} needs the "${peer}" package, which is not installed: ${install}`, {
      cause: error,
    });
  }
}

function isMissing(error: unknown, peer: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${peer}'`)
  );
}
