/**
 * JSON text with every object's keys in sorted order, so two values that are
 * equal as JSON get the same text however their keys were ordered (a page
 * may rebuild its answer object on a retry). Values JSON cannot hold
 * (`undefined`, functions) are left out as `JSON.stringify` leaves them out.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => sortedKeys(inner)) ?? 'null'
}

function sortedKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    sorted[key] = (value as Record<string, unknown>)[key]
  }
  return sorted
}
