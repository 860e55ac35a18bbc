import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { BodyBudget } from './body-budget.ts';
import { HttpError } from './http-error.ts';

const decoders: Record<string, (() => Readable & NodeJS.WritableStream) | undefined> = {
  gzip: () => createGunzip({ chunkSize: 1 << 20 }),
  'x-gzip': () => createGunzip({ chunkSize: 1 << 20 }),
  deflate: () => createInflate({ chunkSize: 1 << 20 }),
};

/**
 * Reads a request body, decompressing `gzip` or `deflate` on the fly. The limit applies to the
 * decompressed bytes and is checked on every chunk, so a decompression bomb is stopped after
 * `maxBytes`, not after it has been inflated in memory.
 * The body's bytes are taken from `budget` as they arrive; the caller gives back the length of
 * the body it gets once done with it.
 * @throws {HttpError} 415 for an unsupported encoding, 413 past `maxBytes`, 503 past the
 *   budget, 400 for a corrupt compressed stream or an aborted request.
 */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  budget?: BodyBudget,
): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const createDecoder = decoders[encoding];
  if (!createDecoder && encoding !== 'identity' && encoding !== '') {
    return Promise.reject(new HttpError(415, `unsupported content encoding "${encoding}"`));
  }
  if (Number(request.headers['content-length']) > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  const decoder = createDecoder?.();
  const output: Readable = decoder ?? request;
  // A plain body of a declared length is copied into its buffer as it arrives: copying a large
  // body in one piece at its end would hold the event loop.
  const declared = Number(request.headers['content-length']);
  const plain = !decoder && Number.isSafeInteger(declared) && declared > 0;
  try {
    if (plain) budget?.take(declared);
  } catch (error) {
    decoder?.destroy();
    return Promise.reject(error);
  }
  const preallocated = plain ? Buffer.allocUnsafe(declared) : undefined;
  let taken = plain ? declared : 0;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let decoded = 0;
    let settled = false;
    const fail = (error: HttpError) => {
      if (settled) return;
      settled = true;
      if (decoder) {
        request.unpipe(decoder);
        decoder.destroy();
      }
      output.removeListener('data', onOutput);
      budget?.give(taken);
      taken = 0;
      reject(error);
    };
    const onOutput = (chunk: Buffer) => {
      const at = decoded;
      decoded += chunk.length;
      if (decoded > maxBytes) return fail(tooLarge(maxBytes));
      if (preallocated && decoded <= preallocated.length) return void chunk.copy(preallocated, at);
      try {
        budget?.take(chunk.length);
        taken += chunk.length;
      } catch (error) {
        return fail(error as HttpError);
      }
      chunks.push(chunk);
    };
    if (decoder) {
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) fail(tooLarge(maxBytes));
      });
      decoder.on('error', (error) => {
        fail(new HttpError(400, `corrupt ${encoding} body: ${error.message}`, { cause: error }));
      });
      request.pipe(decoder);
    }
    output.on('data', onOutput);
    output.once('end', () => {
      if (settled) return;
      if (preallocated && decoded !== preallocated.length) {
        fail(new HttpError(400, 'the body is not as long as its Content-Length'));
        return;
      }
      settled = true;
      // The caller gives back the length of what it gets.
      resolve(preallocated ?? Buffer.concat(chunks, decoded));
    });
    request.once('aborted', () => fail(new HttpError(400, 'the request was aborted')));
    request.once('error', (error) => {
      fail(new HttpError(400, `the request failed: ${error.message}`, { cause: error }));
    });
  });
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `the body exceeds ${maxBytes} bytes after decompression`);
}
