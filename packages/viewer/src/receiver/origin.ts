import type { Origin } from '../records.ts';
import { type DecodedKeyValue, keyValuesToJson, packList, serviceName } from './any-value.ts';
import { attributeTerms } from './search-terms.ts';

/** A decoded `Resource`. */
export interface DecodedResource {
  attributes?: DecodedKeyValue[] | null;
  droppedAttributesCount?: number | null;
}

/** A decoded `InstrumentationScope`. */
export interface DecodedScope {
  name?: string | null;
  version?: string | null;
  attributes?: DecodedKeyValue[] | null;
  droppedAttributesCount?: number | null;
}

/** The resource and scope of a run of items, resolved once for all of them. */
export interface GroupOrigins {
  resource: Origin;
  scope: Origin;
}

/** The stored identity of a resource, with the schema URL of its group. */
export function resourceOrigin(
  resource: DecodedResource | null | undefined,
  schemaUrl: string | null | undefined,
): Origin {
  const json = JSON.stringify({
    attributes: keyValuesToJson(resource?.attributes),
    droppedAttributesCount: resource?.droppedAttributesCount ?? 0,
    schemaUrl: schemaUrl ?? '',
  });
  return {
    json,
    service: serviceName(resource?.attributes),
    terms: attributeTerms(packList(resource?.attributes)),
  };
}

/** The stored identity of an instrumentation scope, with the schema URL of its group. */
export function scopeOrigin(
  scope: DecodedScope | null | undefined,
  schemaUrl: string | null | undefined,
): Origin {
  const json = JSON.stringify({
    name: scope?.name ?? '',
    version: scope?.version ?? '',
    attributes: keyValuesToJson(scope?.attributes),
    droppedAttributesCount: scope?.droppedAttributesCount ?? 0,
    schemaUrl: schemaUrl ?? '',
  });
  return { json, service: '', terms: [] };
}
