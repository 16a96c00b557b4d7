import { describe, expect, expectTypeOf, it } from 'vitest'
import { parse as parseCsv } from 'csv-parse/sync'
import type { SubmissionExport } from '@faust/backend/store'
import { SUBMISSION_COLUMNS, formatSubmissions } from './format-submissions.js'

const submission: SubmissionExport = {
  taskName: 'label',
  taskType: 'static',
  taskRunId: 'run1',
  assignmentId: 'asg1',
  sharedData: { text: 'a, "b"' },
  unitId: 'unit1',
  unitIndex: 0,
  unitKind: 'unit',
  unitData: null,
  pay: 0.5,
  unitStatus: 'completed',
  agentId: 'agent1',
  agentStatus: 'completed',
  workerId: 'worker1',
  workerName: 'w1_sandbox',
  providerType: 'mock',
  data: { label: 'positive' },
  submittedAt: 1_700_000_000_000,
  files: [],
  remoteCalls: [],
  liveUpdates: [],
  providerStatus: 'AWAITING REVIEW',
  attemptStatus: 'submitted',
  reviewStatus: null,
  bonusCents: 25,
  reviewReason: null,
}

describe('formatSubmissions', () => {
  it('lists every field of an export as a CSV column', () => {
    expectTypeOf<(typeof SUBMISSION_COLUMNS)[number]>().toEqualTypeOf<keyof SubmissionExport>()
    expect([...SUBMISSION_COLUMNS].sort()).toEqual(Object.keys(submission).sort())
  })

  it('writes one JSON object per line', () => {
    const text = formatSubmissions([submission, submission], 'jsonl')
    expect(text.split('\n')).toHaveLength(3)
    expect(JSON.parse(text.split('\n')[0]!)).toEqual(submission)
  })

  it('writes CSV: a header, then one record per submission', () => {
    // Issue 14: each top-level answer field also has its own column, beside `data`.
    expect(formatSubmissions([submission], 'csv').split('\r\n')).toEqual([
      SUBMISSION_COLUMNS.join(',').replace(',data,', ',data,data.label,'),
      'label,static,run1,asg1,unit1,0,unit,completed,0.5,agent1,completed,worker1,w1_sandbox,mock,' +
        '1700000000000,"{""text"":""a, \\""b\\""""}",,"{""label"":""positive""}",positive,[],[],[],' +
        'AWAITING REVIEW,submitted,,25,',
      '',
    ])
    expect(formatSubmissions([], 'csv')).toBe(`${SUBMISSION_COLUMNS.join(',')}\r\n`)
    expect(formatSubmissions([], 'jsonl')).toBe('')
  })
})

describe('the data.<field> columns of the CSV', () => {
  const answers: unknown[] = [
    { label: 'cat', 'a,b': 1 },
    { 'say "hi"': '=1+1', label: 'dog', nested: { deep: [1, 2] } },
    'just text',
    { 'two\nlines': null, ' edge ': false },
  ]
  const rows = answers.map((data) => ({ ...submission, data }))
  const records = parseCsv<Record<string, string>>(formatSubmissions(rows, 'csv'), {
    columns: true,
  })

  it('are the answers’ top-level fields in first-seen order, beside data, the review columns kept', () => {
    const header = Object.keys(records[0]!)
    const dataAt = header.indexOf('data')
    expect(header.slice(dataAt, dataAt + 7)).toEqual([
      'data',
      'data.label',
      'data.a,b',
      'data.say "hi"',
      'data.nested',
      'data.two\nlines',
      'data. edge ',
    ])
    expect(header.slice(dataAt + 7)).toEqual([...SUBMISSION_COLUMNS.slice(dataAt + 1)])
    expect(header.slice(-5)).toEqual([
      'providerStatus',
      'attemptStatus',
      'reviewStatus',
      'bonusCents',
      'reviewReason',
    ])
  })

  it('leave a field an answer lacks empty, write nested values as compact JSON, neutralise formulas', () => {
    expect(records.map((record) => record['data.label'])).toEqual(['cat', 'dog', '', ''])
    expect(records.map((record) => record['data.a,b'])).toEqual(['1', '', '', ''])
    expect(records[1]!['data.say "hi"']).toBe("'=1+1")
    expect(records[1]!['data.nested']).toBe('{"deep":[1,2]}')
    // An answer that is not an object has only its data column.
    expect(records[2]!['data']).toBe('just text')
    expect(records[3]).toMatchObject({ 'data.two\nlines': '', 'data. edge ': 'false' })
    // The whole answer stays in `data`, as JSON.
    expect(JSON.parse(records[1]!['data']!)).toEqual(answers[1])
  })

  it('leave JSON Lines as they were: one export object per line, no data.* keys', () => {
    const lines = formatSubmissions(rows, 'jsonl').trimEnd().split('\n')
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(rows)
    expect(Object.keys(JSON.parse(lines[0]!) as object).sort()).toEqual(
      [...SUBMISSION_COLUMNS].sort(),
    )
  })
})
