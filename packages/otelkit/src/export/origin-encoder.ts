import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { writeKeyValues } from './any-value.ts';
import { ProtoWriter } from './proto-writer.ts';
import { StringCache } from './string-cache.ts';

/** An instrumentation scope as log records carry it: with optional attributes. */
export type Scope = InstrumentationScope & {
  readonly attributes?: Attributes;
  readonly droppedAttributesCount?: number;
};

/**
 * The bytes that wrap a group of records in a request: `ResourceSpans` /
 * `ScopeSpans` (or their log equivalents, which number their fields the same)
 * open with the resource or scope message and close with its schema URL.
 */
export interface OriginBytes {
  /** Field 1: the `Resource` or `InstrumentationScope` message, tag and length included. */
  readonly head: Uint8Array;
  /** Field 3: `schema_url`, when there is one. */
  readonly tail: Uint8Array;
}

const strings = new StringCache(256);
const resources = new WeakMap<Resource, OriginBytes>();
const scopes = new WeakMap<Scope, OriginBytes>();

/**
 * The encoded form of `resource`, made once per resource object once its
 * attributes are settled (the SDK shares one resource between all records).
 */
export function resourceBytes(resource: Resource): OriginBytes {
  const cached = resources.get(resource);
  if (cached) return cached;
  const w = new ProtoWriter(256);
  w.byte(0x0a); // 1 resource
  const mark = w.begin();
  if (resource.attributes) writeKeyValues(w, resource.attributes, 0x0a, strings); // 1 attributes
  w.end(mark);
  const bytes = { head: copy(w), tail: schemaUrl(resource.schemaUrl) };
  if (!resource.asyncAttributesPending) resources.set(resource, bytes);
  return bytes;
}

/** The encoded form of `scope`, made once per scope object (the SDK keeps one per tracer or logger). */
export function scopeBytes(scope: Scope): OriginBytes {
  const cached = scopes.get(scope);
  if (cached) return cached;
  const w = new ProtoWriter(128);
  w.byte(0x0a); // 1 scope
  const mark = w.begin();
  w.byte(0x0a); // 1 name
  w.string(scope.name);
  if (scope.version) {
    w.byte(0x12); // 2 version
    w.string(scope.version);
  }
  if (scope.attributes) writeKeyValues(w, scope.attributes, 0x1a, strings); // 3 attributes
  if (scope.droppedAttributesCount) {
    w.byte(0x20); // 4 dropped_attributes_count
    w.varint(scope.droppedAttributesCount);
  }
  w.end(mark);
  const bytes = { head: copy(w), tail: schemaUrl(scope.schemaUrl) };
  scopes.set(scope, bytes);
  return bytes;
}

function schemaUrl(url: string | undefined): Uint8Array {
  if (!url) return new Uint8Array(0);
  const w = new ProtoWriter(url.length + 8);
  w.byte(0x1a); // 3 schema_url
  w.string(url);
  return copy(w);
}

function copy(w: ProtoWriter): Uint8Array {
  return Uint8Array.prototype.slice.call(w.buf, 0, w.pos);
}
