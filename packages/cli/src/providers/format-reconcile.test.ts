import { describe, expect, it } from 'vitest'
import type { ReconcileReport } from './backend-api.js'
import { formatReconcileJson, formatReconcileReport } from './format-reconcile.js'

const SUBJECT = { taskName: 'label', platform: 'mturk', sandbox: true }

const REPORT: ReconcileReport = {
  runId: 'r1',
  attempts: 3,
  dryRun: false,
  events: [
    {
      kind: 'attempt_returned',
      agentId: 'a1',
      attemptId: 'asg1',
      detail: 'HIT h1: assignment gone',
      applied: true,
    },
    {
      kind: 'places_repaired',
      agentId: null,
      attemptId: null,
      detail: 'open 2 → 3',
      applied: true,
    },
  ],
}

describe('formatReconcileReport', () => {
  it('prints a summary, then one row per event', () => {
    expect(formatReconcileReport(REPORT, SUBJECT)).toBe(
      [
        'label: run r1 on mturk sandbox: 3 attempts checked, 2 events',
        'event             agent  attempt  applied  detail',
        'attempt_returned  a1     asg1     yes      HIT h1: assignment gone',
        'places_repaired   -      -        yes      open 2 → 3',
        '',
      ].join('\n'),
    )
  })

  it('says when there was no drift, and when nothing was changed', () => {
    expect(
      formatReconcileReport(
        { ...REPORT, events: [], dryRun: true, attempts: 1 },
        { ...SUBJECT, sandbox: false },
      ),
    ).toBe('label: run r1 on mturk: 1 attempt checked, no drift (dry run: nothing changed)\n')
  })

  it('prints the report as one JSON object with --json', () => {
    expect(JSON.parse(formatReconcileJson(REPORT, SUBJECT))).toEqual({
      task: 'label',
      platform: 'mturk',
      sandbox: true,
      ...REPORT,
    })
  })
})
