/** Lowercase hex of decoded bytes (protobufjs yields Buffers on Node, plain Uint8Arrays otherwise). */
export function toHex(bytes: Uint8Array | null | undefined): string {
  if (!bytes || bytes.length === 0) return '';
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('hex');
}

/** True for a hex id of `bytes` bytes that is not all zeros (the OTLP rule for trace and span ids). */
export function isValidId(hex: string, bytes: number): boolean {
  return hex.length === bytes * 2 && !/^0+$/.test(hex);
}
