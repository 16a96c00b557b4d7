import { describe, expect, expectTypeOf, it } from 'vitest'
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
    expect(formatSubmissions([submission], 'csv').split('\r\n')).toEqual([
      SUBMISSION_COLUMNS.join(','),
      'label,static,run1,asg1,unit1,0,unit,completed,0.5,agent1,completed,worker1,w1_sandbox,mock,' +
        '1700000000000,"{""text"":""a, \\""b\\""""}",,"{""label"":""positive""}",[],[],[],' +
        'AWAITING REVIEW,submitted,,25,',
      '',
    ])
    expect(formatSubmissions([], 'csv')).toBe(`${SUBMISSION_COLUMNS.join(',')}\r\n`)
    expect(formatSubmissions([], 'jsonl')).toBe('')
  })
})
