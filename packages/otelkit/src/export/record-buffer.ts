import type { Resource } from '@opentelemetry/resources';
import type { Scope } from './origin-encoder.ts';
import { ProtoWriter } from './proto-writer.ts';
import type { StringCache } from './string-cache.ts';

/** Writes one record's message fields. */
export type Encoder<T> = (w: ProtoWriter, item: T, strings: StringCache) => void;

/**
 * Appends `item` to a group's buffer as one `spans` / `log_records` entry
 * (field 2 of `ScopeSpans` / `ScopeLogs`); returns the bytes written.
 */
export function writeRecord<T>(
  w: ProtoWriter,
  item: T,
  encode: Encoder<T>,
  strings: StringCache,
): number {
  const start = w.pos;
  w.byte(0x12);
  const mark = w.beginWide();
  encode(w, item, strings);
  w.endWide(mark);
  return w.pos - start;
}

/** The records of one resource and scope: encoded messages, each with its tag and length. */
export interface RecordGroup {
  readonly resource: Resource;
  readonly scope: Scope;
  readonly writer: ProtoWriter;
  count: number;
}

/** One group's records, as a sealed batch hands them over. */
export interface SealedGroup {
  readonly resource: Resource;
  readonly scope: Scope;
  readonly bytes: Uint8Array;
}

/**
 * The open batch: encoded records grouped under their resource and scope,
 * each group writing into a buffer it keeps from batch to batch. A group
 * that stays empty for a whole batch is let go, so scopes that come and go
 * cost nothing once gone.
 */
export class RecordBuffer {
  #groups = new Map<Resource, Map<Scope, RecordGroup>>();
  #last: RecordGroup | undefined;
  /** Records in the open batch. */
  count = 0;
  /** Their encoded bytes. */
  bytes = 0;

  /** The group for `resource` and `scope`, by identity (the SDK shares these objects). */
  group(resource: Resource, scope: Scope): RecordGroup {
    const last = this.#last;
    if (last !== undefined && last.resource === resource && last.scope === scope) return last;
    let scopes = this.#groups.get(resource);
    if (scopes === undefined) {
      scopes = new Map();
      this.#groups.set(resource, scopes);
    }
    let group = scopes.get(scope);
    if (group === undefined) {
      group = { resource, scope, writer: new ProtoWriter(), count: 0 };
      scopes.set(scope, group);
    }
    this.#last = group;
    return group;
  }

  /** Counts a record just written into `group`, `size` bytes long. */
  added(group: RecordGroup, size: number): void {
    group.count++;
    this.count++;
    this.bytes += size;
  }

  /**
   * Takes the open batch out: `consume` gets views of each group's bytes,
   * valid only during the call (the buffers are reused right after), with
   * the batch's record count and bytes. `undefined` when the batch is empty.
   */
  seal<R>(consume: (groups: SealedGroup[], count: number, bytes: number) => R): R | undefined {
    if (this.count === 0) return undefined;
    const groups: SealedGroup[] = [];
    const used: RecordGroup[] = [];
    for (const [resource, scopes] of this.#groups) {
      for (const [scope, group] of scopes) {
        if (group.count === 0) {
          scopes.delete(scope);
          continue;
        }
        groups.push({ resource, scope, bytes: group.writer.buf.subarray(0, group.writer.pos) });
        used.push(group);
      }
      if (scopes.size === 0) this.#groups.delete(resource);
    }
    try {
      return consume(groups, this.count, this.bytes);
    } finally {
      for (const group of used) {
        group.writer.pos = 0;
        group.count = 0;
      }
      this.#last = undefined;
      this.count = 0;
      this.bytes = 0;
    }
  }
}
