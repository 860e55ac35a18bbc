import type { Signal } from '../records.ts';
import type { DecodedResource, DecodedScope } from './origin.ts';

/** What a metric says about each of its data points. */
export interface MetricHeader {
  name: string;
  description: string;
  unit: string;
  /** `gauge`, `sum`, `histogram`, `exponentialHistogram` or `summary`; empty without data. */
  type: string;
  aggregationTemporality: number;
  isMonotonic: boolean;
}

/** The resource and scope that a run of items share, as one request carries them. */
export interface ItemGroup {
  resource: DecodedResource | undefined;
  resourceSchemaUrl: string;
  scope: DecodedScope | undefined;
  scopeSchemaUrl: string;
  /** For data points, their metric. */
  metric?: MetricHeader;
  /** Why every item of the group is refused: its resource, scope or metric cannot be read. */
  problem?: string;
}

/**
 * The items (spans, log records or data points) of one export request, each decoded only when
 * asked for: the request is read in slices, and an item that cannot be decoded (nested too
 * deep, malformed) is refused alone.
 */
export interface ExportItems {
  signal: Signal;
  count: number;
  /** The resource and scope of item `index`. */
  groupOf(index: number): ItemGroup;
  /** A name for item `index` that refusals can give even when it cannot be decoded. */
  labelOf(index: number): string;
  /**
   * Item `index` as protobufjs decodes it.
   * @throws {Error} naming what could not be read.
   */
  decode(index: number): unknown;
}

/** An item that cannot be stored, with the reason as the sender should read it. */
export class ItemProblem extends Error {
  override readonly name = 'ItemProblem';
}

/** The message of an error thrown while decoding an item, for the sender. */
export function decodeProblem(error: unknown): string {
  if (error instanceof ItemProblem) return error.message;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return 'a value is nested too deeply to read';
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/nesting depth|max depth/i.test(message)) {
    return 'a value is nested deeper than 100 levels (the protobuf limit)';
  }
  return `cannot be read: ${message}`;
}
