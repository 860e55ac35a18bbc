import type { Resource } from '@opentelemetry/resources';
import { type OriginBytes, resourceBytes, scopeBytes } from './origin-encoder.ts';
import { ProtoWriter, varintSize } from './proto-writer.ts';
import type { SealedGroup } from './record-buffer.ts';

/**
 * Waits for resources whose attributes are still being detected, as the
 * official batch processors do before exporting; a detector that fails
 * leaves the attributes it has.
 */
export async function settleResources(groups: readonly SealedGroup[]): Promise<void> {
  const pending = new Set<Resource>();
  for (const { resource } of groups) if (resource.asyncAttributesPending) pending.add(resource);
  if (pending.size === 0) return;
  await Promise.all(
    [...pending].map((resource) => resource.waitForAsyncAttributes?.().catch(() => {})),
  );
}

interface ResourcePart {
  origin: OriginBytes;
  scopes: { origin: OriginBytes; bytes: Uint8Array; size: number }[];
  size: number;
}

/** Where each part of a request goes, and its total size. */
export interface RequestLayout {
  readonly parts: Iterable<ResourcePart>;
  readonly total: number;
}

/**
 * Lays out the OTLP export request (`ExportTraceServiceRequest` or
 * `ExportLogsServiceRequest`: the same field numbers) for sealed groups:
 * each resource and scope written once, around the records' bytes.
 */
export function layoutRequest(groups: readonly SealedGroup[]): RequestLayout {
  const parts = new Map<Resource, ResourcePart>();
  for (const group of groups) {
    let part = parts.get(group.resource);
    if (part === undefined) {
      part = { origin: resourceBytes(group.resource), scopes: [], size: 0 };
      parts.set(group.resource, part);
    }
    const origin = scopeBytes(group.scope);
    const size = origin.head.length + group.bytes.length + origin.tail.length;
    part.scopes.push({ origin, bytes: group.bytes, size });
  }
  let total = 0;
  for (const part of parts.values()) {
    let size = part.origin.head.length + part.origin.tail.length;
    for (const scope of part.scopes) size += 1 + varintSize(scope.size) + scope.size;
    part.size = size;
    total += 1 + varintSize(size) + size;
  }
  return { parts: parts.values(), total };
}

/** Writes a laid-out request into `target` (at least `layout.total` long); returns the bytes written. */
export function writeRequest(layout: RequestLayout, target: Buffer): Buffer {
  const w = new ProtoWriter(target);
  for (const part of layout.parts) {
    w.byte(0x0a); // 1 resource_spans / resource_logs
    w.varint(part.size);
    w.raw(part.origin.head);
    for (const scope of part.scopes) {
      w.byte(0x12); // 2 scope_spans / scope_logs
      w.varint(scope.size);
      w.raw(scope.origin.head);
      w.raw(scope.bytes);
      w.raw(scope.origin.tail);
    }
    w.raw(part.origin.tail);
  }
  return target.subarray(0, w.pos);
}

/** The export request for sealed groups, in a buffer of its own. */
export function encodeRequest(groups: readonly SealedGroup[]): Buffer {
  const layout = layoutRequest(groups);
  return writeRequest(layout, Buffer.allocUnsafe(layout.total));
}
