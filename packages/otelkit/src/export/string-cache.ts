import { ProtoWriter } from './proto-writer.ts';

/** Strings longer than this are rare repeats (messages, URLs): encoding them is cheaper than keeping them. */
const MAX_CACHED_LENGTH = 256;
/** Attribute keys remembered by position (a power of two). */
const SLOTS = 64;
/** One attribute key: the start of its `KeyValue` (key tag, length, UTF-8, value tag). */
export interface KeyEntry {
  readonly key: string;
  readonly prefix: Uint8Array;
}

/**
 * A bounded cache of encoded bytes for what repeats from record to record:
 * names (span, event, severity) and attribute keys. When it holds
 * `capacity` of either it starts over, so distinct names cost memory only up
 * to the bound. (Caching whole key/value pairs as well measured no faster:
 * copying a cached pair costs what encoding a short value does.)
 */
export class StringCache {
  readonly #capacity: number;
  readonly #scratch = new ProtoWriter(1024);
  #strings = new Map<string, Uint8Array>();
  #keys = new Map<string, KeyEntry>();
  // Records of one kind list the same keys in the same order: the key at a
  // position is most often the one seen there last, found without hashing.
  readonly #slots: (KeyEntry | undefined)[] = new Array(SLOTS).fill(undefined);

  constructor(capacity = 2048) {
    this.#capacity = capacity;
  }

  /** Writes `value` as a length-delimited string, from the cache when it can. */
  write(writer: ProtoWriter, value: string): void {
    let encoded = this.#strings.get(value);
    if (encoded === undefined) {
      if (value.length > MAX_CACHED_LENGTH) {
        writer.string(value);
        return;
      }
      const scratch = this.#scratch;
      scratch.pos = 0;
      scratch.string(value);
      encoded = Uint8Array.prototype.slice.call(scratch.buf, 0, scratch.pos);
      if (this.#strings.size >= this.#capacity) this.#strings = new Map();
      this.#strings.set(value, encoded);
    }
    writer.raw(encoded);
  }

  /**
   * The entry of attribute `key`, or `undefined` for a key too long to keep.
   * `slot` says where the key sits (its field and position) for the memo.
   */
  key(key: string, slot: number): KeyEntry | undefined {
    const position = slot & (SLOTS - 1);
    const last = this.#slots[position];
    if (last !== undefined && last.key === key) return last;
    let entry = this.#keys.get(key);
    if (entry === undefined) {
      if (key.length > MAX_CACHED_LENGTH) return undefined;
      const scratch = this.#scratch;
      scratch.pos = 0;
      scratch.byte(0x0a); // KeyValue.key
      scratch.string(key);
      scratch.byte(0x12); // KeyValue.value
      const prefix = Uint8Array.prototype.slice.call(scratch.buf, 0, scratch.pos);
      entry = { key, prefix };
      if (this.#keys.size >= this.#capacity) {
        this.#keys = new Map();
        this.#slots.fill(undefined);
      }
      this.#keys.set(key, entry);
    }
    this.#slots[position] = entry;
    return entry;
  }

  /** How many names and keys are held. */
  get size(): number {
    return this.#strings.size + this.#keys.size;
  }
}
