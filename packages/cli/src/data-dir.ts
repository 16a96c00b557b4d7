import { access } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Option } from 'commander'
import {
  DATABASE_FILE_NAME,
  DEFAULT_DATA_DIR,
  openDatabase,
  type Store,
} from '@faust/backend/store'

/** `--data-dir`, shared by every command that reads or writes Faust's database. */
export function dataDirOption(): Option {
  return new Option('--data-dir <dir>', 'folder holding the database and the files of every run')
    .env('FAUST_DATA_DIR')
    .default(DEFAULT_DATA_DIR)
}

/**
 * Opens the database in `dataDir`, which must exist already: commands that
 * only read (or undo) should not leave an empty `.faust` folder behind when
 * run in the wrong directory.
 */
export async function openExistingDatabase(dataDir: string): Promise<Store> {
  const databasePath = join(resolve(dataDir), DATABASE_FILE_NAME)
  try {
    await access(databasePath)
  } catch {
    throw new Error(
      `no Faust data in ${resolve(dataDir)} (no ${DATABASE_FILE_NAME}): run a task first, or pass --data-dir`,
    )
  }
  return openDatabase({ dataDir })
}

/** The `--data-dir` flag to repeat in a suggested command, empty for the default. */
export function dataDirHint(dataDir: string): string {
  return dataDir === DEFAULT_DATA_DIR ? '' : ` --data-dir ${quoteForShell(dataDir)}`
}

/** Quotes `text` for a POSIX shell when it holds anything but safe characters. */
export function quoteForShell(text: string): string {
  return /^[\w./@:=+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`
}
