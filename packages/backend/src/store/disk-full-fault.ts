import { sql } from 'kysely'
import type { Store } from './store.js'

/**
 * A fault for chaos testing (`faust simulate --chaos disk`): from now on the
 * store's database may not grow past its current size (`PRAGMA
 * max_page_count`), so a write that needs a new page fails with a real
 * SQLITE_FULL, as on a full disk (mounting a small filesystem needs root;
 * this needs nothing). Resolves, once the limit is in force, with the
 * function that lifts it.
 */
export async function limitStoreGrowth(store: Store): Promise<() => Promise<void>> {
  const limit = async (pages: number): Promise<void> => {
    // A PRAGMA takes no bound parameter; `pages` is an integer read from SQLite.
    await sql.raw(`PRAGMA max_page_count = ${String(Math.trunc(pages))}`).execute(store.db)
  }
  const count = await sql<{ page_count: number }>`PRAGMA page_count`.execute(store.db)
  const max = await sql<{ max_page_count: number }>`PRAGMA max_page_count`.execute(store.db)
  const before = max.rows[0]?.max_page_count ?? 4_294_967_294
  await limit(count.rows[0]?.page_count ?? 1)
  return () => limit(before)
}
