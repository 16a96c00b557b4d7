import { extname } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { TaskDefinition } from '@faust/backend'
import { tsImport } from 'tsx/esm/api'

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts'])

/** Loads a task file and returns the task it exports (default export, or a named `task`). */
export async function loadTask(file: string): Promise<TaskDefinition> {
  const url = pathToFileURL(file).href
  let module: unknown
  try {
    // tsx compiles TypeScript on the fly, for this import only: nothing is
    // registered globally, and JavaScript files load as Node loads them.
    module = TYPESCRIPT_EXTENSIONS.has(extname(file))
      ? await tsImport(url, import.meta.url)
      : await import(url)
  } catch (error) {
    throw new Error(
      `could not load ${file}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    )
  }
  const candidates = exportedCandidates(module)
  const task = candidates.find(isTaskDefinition)
  if (task !== undefined) return task
  if (candidates.some(looksLikeTaskOptions)) {
    throw new Error(
      `${file} exports task options, not a task: wrap them in defineTask(...) from @faust/backend`,
    )
  }
  throw new Error(
    `${file} does not export a task: add \`export default defineTask({ name, page, data })\` (defineTask from @faust/backend)`,
  )
}

/** The default export and a named `task`, also one level down (a CommonJS module's `exports`). */
function exportedCandidates(module: unknown): unknown[] {
  const candidates: unknown[] = []
  const collect = (value: unknown, depth: number): void => {
    if (!isRecord(value)) return
    for (const key of ['default', 'task']) {
      const exported = value[key]
      if (exported === undefined) continue
      candidates.push(exported)
      if (depth > 0) collect(exported, depth - 1)
    }
  }
  collect(module, 1)
  return candidates
}

/**
 * Whether `value` is what `defineTask` returns: the options checked with every
 * default applied. A structural test, because the task file may load its own
 * copy of `@faust/backend`.
 */
export function isTaskDefinition(value: unknown): value is TaskDefinition {
  if (!isRecord(value)) return false
  const numbers = [
    'unitsPerAssignment',
    'pay',
    'maximumUnitsPerWorker',
    'allowedConcurrent',
    'maxConcurrentUnits',
    'assignmentDurationSeconds',
  ]
  return (
    typeof value['name'] === 'string' &&
    (value['taskType'] === 'static' ||
      value['taskType'] === 'remote-procedure' ||
      value['taskType'] === 'concurrent') &&
    typeof value['page'] === 'string' &&
    (typeof value['data'] === 'string' || Array.isArray(value['data'])) &&
    numbers.every((key) => typeof value[key] === 'number') &&
    Array.isArray(value['qualifications']) &&
    isRecord(value['taskConfig']) &&
    isRecord(value['hooks'])
  )
}

function looksLikeTaskOptions(value: unknown): boolean {
  return isRecord(value) && typeof value['name'] === 'string' && 'page' in value && 'data' in value
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
