import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BackendErrorCode, TaskDataError } from '../util/backend-error.js'
import { loadTaskData } from './load-task-data.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faust-data-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

describe('loadTaskData', () => {
  it('rejects with a coded TaskDataError', async () => {
    const failed = loadTaskData(await file('d.txt', 'a')).catch((error: unknown) => error)
    expect(await failed).toBeInstanceOf(TaskDataError)
    expect(await failed).toMatchObject({ code: BackendErrorCode.TASK_DATA_INVALID })
  })

  it('names a file that cannot be read, with a code', async () => {
    const failed = loadTaskData(join(dir, 'missing.jsonl')).catch((error: unknown) => error)
    expect(await failed).toBeInstanceOf(TaskDataError)
    expect(await failed).toMatchObject({
      code: BackendErrorCode.TASK_DATA_INVALID,
      message: expect.stringMatching(/missing\.jsonl: cannot be read \(ENOENT/) as unknown,
    })
  })

  it('reads a JSON array', async () => {
    expect(await loadTaskData(await file('d.json', '[{"a":1},{"a":2}]'))).toEqual([
      { a: 1 },
      { a: 2 },
    ])
  })

  it('reads JSONL, skipping blank lines, and names the bad line', async () => {
    expect(await loadTaskData(await file('d.jsonl', '{"a":1}\n\n{"a":2}\r\n'))).toEqual([
      { a: 1 },
      { a: 2 },
    ])
    await expect(loadTaskData(await file('e.jsonl', '{"a":1}\n{oops\n'))).rejects.toThrow(
      /e\.jsonl:2: not valid JSON/,
    )
  })

  it('reads CSV with a header row, quoted fields and a BOM', async () => {
    const rows = await loadTaskData(await file('d.csv', '\uFEFFid,text\n1,"hello, world"\n2,bye\n'))
    expect(rows).toEqual([
      { id: '1', text: 'hello, world' },
      { id: '2', text: 'bye' },
    ])
  })

  it('rejects a JSON file that is not an array', async () => {
    await expect(loadTaskData(await file('d.json', '{"a":1}'))).rejects.toThrow(
      /must hold an array/,
    )
  })
})
