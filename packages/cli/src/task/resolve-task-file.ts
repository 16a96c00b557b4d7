import { stat } from 'node:fs/promises'
import { dirname, extname, join, resolve } from 'node:path'

/** Extensions a task file may have: TypeScript (loaded through tsx) and JavaScript modules. */
export const TASK_FILE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const

/** The names looked for, in order, when `faust run` is given a folder. */
export const TASK_FILE_NAMES = TASK_FILE_EXTENSIONS.map((extension) => `task${extension}`)

/** A task file and the folder its relative `page` and `data` paths resolve against. */
export interface TaskFile {
  readonly file: string
  readonly dir: string
}

/** Turns what was typed (a task file or a folder holding one) into the task file's path. */
export async function resolveTaskFile(path: string): Promise<TaskFile> {
  const absolute = resolve(path)
  const info = await stat(absolute).catch(() => null)
  if (info === null) throw new Error(`no task at ${path}: no such file or folder`)
  if (info.isDirectory()) {
    for (const name of TASK_FILE_NAMES) {
      const candidate = join(absolute, name)
      if ((await stat(candidate).catch(() => null))?.isFile() === true) {
        return { file: candidate, dir: absolute }
      }
    }
    throw new Error(`no task file in ${path}: expected one of ${TASK_FILE_NAMES.join(', ')}`)
  }
  if (!(TASK_FILE_EXTENSIONS as readonly string[]).includes(extname(absolute))) {
    throw new Error(
      `${path} is not a task file: expected a ${TASK_FILE_EXTENSIONS.join(', ')} file or a folder`,
    )
  }
  return { file: absolute, dir: dirname(absolute) }
}
