import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeFixtureRun, runCli, tempDir, SEVERAL_PROCESSES } from '../support/cli-process.js'

// Answers with everything CSV must quote: commas, quotes, line breaks, edge spaces.
const ANSWERS = [
  { label: 'positive', comment: 'Nice, "really" nice' },
  { label: 'negative', comment: ' two\nlines ' },
]

describe('faust results', () => {
  let data: Awaited<ReturnType<typeof tempDir>>

  beforeAll(async () => {
    data = await tempDir('faust-cli-results-')
    const run = await completeFixtureRun(data.path, (index) => ANSWERS[index])
    if (run.code !== 0) throw new Error(`the fixture run failed: ${run.stderr}`)
  }, SEVERAL_PROCESSES.timeout)

  afterAll(async () => {
    await data[Symbol.asyncDispose]()
  })

  it('prints every submission as JSON Lines by default', async () => {
    const result = await runCli(['results', 'cli-fixture', '--data-dir', data.path])
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(rows.map((row) => row['data'])).toEqual(ANSWERS)
    expect(rows[0]).toMatchObject({
      taskName: 'cli-fixture',
      sharedData: { text: 'I like it' },
      workerName: 'worker-1_sandbox',
      providerType: 'mock',
      unitStatus: 'completed',
      agentStatus: 'completed',
      files: [],
      remoteCalls: [],
      liveUpdates: [],
    })
  })

  it(
    'prints CSV with a header row, quoting as RFC 4180 says, nested values as JSON',
    SEVERAL_PROCESSES,
    async () => {
      const result = await runCli(['results', 'cli-fixture', '--format', 'csv'], {
        FAUST_DATA_DIR: data.path,
      })
      expect(result.code).toBe(0)
      expect(result.stdout.split('\r\n')[0]).toBe(
        'taskName,taskType,taskRunId,assignmentId,unitId,unitIndex,unitKind,unitStatus,pay,agentId,agentStatus,' +
          'workerId,workerName,providerType,submittedAt,sharedData,unitData,data,data.label,data.comment,files,remoteCalls,liveUpdates,' +
          'providerStatus,attemptStatus,reviewStatus,bonusCents,reviewReason',
      )
      const records = parseCsv<Record<string, string>>(result.stdout, { columns: true })
      expect(records).toHaveLength(2)
      expect(records.map((record) => JSON.parse(record['data']!) as unknown)).toEqual(ANSWERS)
      expect(JSON.parse(records[1]!['sharedData']!)).toEqual({ text: 'Not for me, "thanks"' })
      expect(records[0]).toMatchObject({
        workerName: 'worker-1_sandbox',
        unitIndex: '0',
        files: '[]',
        remoteCalls: '[]',
        liveUpdates: '[]',
      })

      // The CSV columns are the JSON Lines fields, and (issue 14) the answer's fields.
      const jsonl = await runCli(['results', 'cli-fixture', '--data-dir', data.path])
      const fields = Object.keys(JSON.parse(jsonl.stdout.split('\n')[0]!) as object)
      expect(Object.keys(records[0]!).sort()).toEqual(
        [...fields, 'data.label', 'data.comment'].sort(),
      )
    },
  )

  it('writes to a file with --out', async () => {
    await using out = await tempDir('faust-cli-results-out-')
    const file = join(out.path, 'results.csv')
    const result = await runCli([
      'results',
      'cli-fixture',
      '--data-dir',
      data.path,
      '--format',
      'csv',
      '--out',
      file,
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(`faust results: wrote 2 submissions to ${file}\n`)
    expect(parseCsv(await readFile(file, 'utf8'), { columns: true })).toHaveLength(2)
  })

  it('reads the data folder from FAUST_DATA_DIR as from --data-dir', async () => {
    const byFlag = await runCli(['results', 'cli-fixture', '--data-dir', data.path])
    const byVariable = await runCli(['results', 'cli-fixture'], { FAUST_DATA_DIR: data.path })
    expect(byVariable).toMatchObject({ code: 0, stderr: '' })
    expect(byVariable.stdout.trimEnd().split('\n')).toHaveLength(2)
    expect(byVariable.stdout).toBe(byFlag.stdout)
  })

  it('names the tasks it knows when asked for another one', async () => {
    const result = await runCli(['results', 'no-such-task', '--data-dir', data.path])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `faust: no task named 'no-such-task' in ${data.path}: tasks here: cli-fixture\n`,
    )
  })

  it('refuses a data folder with no database, without creating one', async () => {
    await using empty = await tempDir('faust-cli-results-empty-')
    const missing = join(empty.path, 'nothing-here')
    const result = await runCli(['results', 'cli-fixture', '--data-dir', missing])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`no Faust data in ${missing}`)
    await expect(readFile(join(missing, 'faust.sqlite'))).rejects.toThrow(/ENOENT/)
  })

  it('rejects an unknown format', async () => {
    const result = await runCli(['results', 'cli-fixture', '--format', 'xml'])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/--format.*xml.*jsonl, csv/s)
  })
})
