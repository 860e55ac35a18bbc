import { ProtoWriter } from './proto-writer.ts';

/** Strings longer than this are rare repeats (messages, URLs): encoding them is cheaper than keeping them. */
const MAX_CACHED_LENGTH = 256;
/** Attribute keys remembered by position (a power of two). */
const SLOTS = 64;
/** Bytes of one entry's length, packed with its offset into a number. */
const LENGTH_BITS = 10;
const LENGTH_MASK = (1 << LENGTH_BITS) - 1;

/**
 * A bounded cache of encoded bytes for what repeats from record to record:
 * names (span, event, severity) and attribute keys. The encodings sit side
 * by side in one buffer, so that the dozen keys of a record are a few cache
 * lines apart rather than a dozen objects; when the buffer is full, or
 * `capacity` strings are held, the cache starts over, so distinct names cost
 * memory only up to the bound.
 *
 * Entries are referred to by a number: `offset << 10 | length` into `arena`.
 */
export class StringCache {
  /** The encoded strings, back to back. */
  readonly arena: Buffer;
  readonly #capacity: number;
  readonly #scratch = new ProtoWriter(1024);
  #used = 0;
  #strings = new Map<string, number>();
  #keys = new Map<string, number>();
  // Records of one kind list the same keys in the same order: the key at a
  // position is most often the one seen there last, found without hashing.
  readonly #slotKeys: (string | undefined)[] = new Array(SLOTS).fill(undefined);
  readonly #slotRefs = new Int32Array(SLOTS);

  constructor(capacity = 2048, arenaBytes = 64 * 1024) {
    this.#capacity = capacity;
    this.arena = Buffer.allocUnsafe(arenaBytes);
  }

  /** Writes `value` as a length-delimited string, from the cache when it can. */
  write(writer: ProtoWriter, value: string): void {
    let ref = this.#strings.get(value);
    if (ref === undefined) {
      if (value.length > MAX_CACHED_LENGTH) {
        writer.string(value);
        return;
      }
      const scratch = this.#scratch;
      scratch.pos = 0;
      scratch.string(value);
      ref = this.#keep();
      this.#strings.set(value, ref);
    }
    writer.copy(this.arena, ref >>> LENGTH_BITS, ref & LENGTH_MASK);
  }

  /**
   * The start of the `KeyValue` of attribute `key` (key tag, length, UTF-8
   * and the value tag), as a reference into `arena`; -1 for a key too long
   * to keep. `slot` says where the key sits (its field and position).
   */
  keyRef(key: string, slot: number): number {
    const position = slot & (SLOTS - 1);
    if (this.#slotKeys[position] === key) return this.#slotRefs[position]!;
    let ref = this.#keys.get(key);
    if (ref === undefined) {
      if (key.length > MAX_CACHED_LENGTH) return -1;
      const scratch = this.#scratch;
      scratch.pos = 0;
      scratch.byte(0x0a); // KeyValue.key
      scratch.string(key);
      scratch.byte(0x12); // KeyValue.value
      ref = this.#keep();
      this.#keys.set(key, ref);
    }
    this.#slotKeys[position] = key;
    this.#slotRefs[position] = ref;
    return ref;
  }

  /** Moves the scratch bytes into the arena, starting over first when it is full. */
  #keep(): number {
    const length = this.#scratch.pos;
    if (
      this.#used + length > this.arena.length ||
      this.#strings.size + this.#keys.size >= this.#capacity
    ) {
      this.#strings = new Map();
      this.#keys = new Map();
      this.#slotKeys.fill(undefined);
      this.#used = 0;
    }
    const offset = this.#used;
    this.#scratch.buf.copy(this.arena, offset, 0, length);
    this.#used += length;
    return (offset << LENGTH_BITS) | length;
  }

  /** How many names and keys are held. */
  get size(): number {
    return this.#strings.size + this.#keys.size;
  }
}
