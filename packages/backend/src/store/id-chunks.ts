/**
 * Ids per `IN (…)` list. SQLite allows at most 32,766 bound variables in one
 * statement; a run of 100,000 units once made `launch` and `expire` fail for
 * every unit at once. 500 keeps each statement small and well under it.
 */
export const ID_CHUNK = 500

/** `ids` in consecutive slices of at most {@link ID_CHUNK}. */
export function* idChunks<T>(ids: readonly T[]): Generator<readonly T[]> {
  for (let start = 0; start < ids.length; start += ID_CHUNK) {
    yield ids.slice(start, start + ID_CHUNK)
  }
}
