import { stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import type { Store } from '@faust/backend/store'

/** A stored submission file, resolved inside the data folder. */
export interface StoredFile {
  readonly path: string
  readonly name: string
  readonly mimetype: string
  readonly size: number
}

/**
 * The file stored under `fileId`, by its record only: the path comes from
 * the store, never from the request, and must stay inside the data folder.
 */
export async function findFile(store: Store, fileId: string): Promise<StoredFile | null> {
  const row = await store.db
    .selectFrom('submission_files')
    .select(['stored_path', 'original_name', 'mimetype', 'size_bytes'])
    .where('id', '=', fileId)
    .executeTakeFirst()
  if (row === undefined) return null
  const root = resolve(store.dataDir)
  const path = resolve(root, row.stored_path)
  const inside = relative(root, path)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null
  try {
    if (!(await stat(path)).isFile()) return null
  } catch {
    return null // the record outlived its file
  }
  return { path, name: row.original_name, mimetype: row.mimetype, size: row.size_bytes }
}
