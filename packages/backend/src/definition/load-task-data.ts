import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { TaskDataError } from '../util/backend-error.js'

/**
 * Reads a task's data file: a `.json` array, `.jsonl` (one JSON value per
 * line, blank lines ignored) or `.csv` (a header row, then one object per
 * row). Errors are {@link TaskDataError}s (`TASK_DATA_INVALID`) that name the
 * file and, for JSONL, the line.
 */
export async function loadTaskData(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new TaskDataError(
      'TASK_DATA_INVALID',
      `${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    )
  })
  const extension = extname(path).toLowerCase()
  if (extension === '.json') {
    const value = parseJson(text, path)
    if (!Array.isArray(value))
      throw new TaskDataError('TASK_DATA_INVALID', `${path}: a .json data file must hold an array`)
    return value as unknown[]
  }
  if (extension === '.jsonl') {
    const items: unknown[] = []
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() !== '') items.push(parseJson(line, `${path}:${String(index + 1)}`))
    })
    return items
  }
  if (extension === '.csv') {
    try {
      const rows: unknown[] = parseCsv(text, {
        columns: true,
        skip_empty_lines: true,
        bom: true,
        trim: true,
      })
      return rows
    } catch (error) {
      throw new TaskDataError(
        'TASK_DATA_INVALID',
        `${path}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
  throw new TaskDataError(
    'TASK_DATA_INVALID',
    `${path}: data files must end in .json, .jsonl or .csv`,
  )
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new TaskDataError(
      'TASK_DATA_INVALID',
      `${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    )
  }
}
