import { describe, expect, it } from 'vitest'
import type { SubmissionExport } from '@faust/backend/store'
import { formatPendingUnit, formatSize, terminalSafe } from './format-pending-unit.js'

const SUBMISSION = {
  unitId: 'u1',
  taskRunId: 'r1',
  workerId: 'wid',
  workerName: 'w1_sandbox',
  providerType: 'mock',
  submittedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  data: { label: 'cat', nested: [1, { deep: true }] },
  bonusCents: 150,
  files: [
    {
      id: 'f1',
      submissionId: 's1',
      createdAt: 0,
      fieldName: 'photo',
      originalName: 'cat\u001b]0;owned\u0007.png',
      storedPath: 'files/f1',
      mimetype: 'image/png',
      sizeBytes: 12_345,
    },
  ],
} as unknown as SubmissionExport

describe('formatPendingUnit', () => {
  it('shows the worker, the time, the data as indented JSON and each file with its size', () => {
    expect(formatPendingUnit(SUBMISSION, { index: 0, total: 3 })).toBe(
      [
        '── unit 1 of 3: u1 (run r1)',
        'worker:    w1_sandbox (mock, wid)',
        'submitted: 2026-01-02T03:04:05.000Z',
        'data:',
        '  {',
        '    "label": "cat",',
        '    "nested": [',
        '      1,',
        '      {',
        '        "deep": true',
        '      }',
        '    ]',
        '  }',
        'bonuses:   1.50 paid',
        'files:',
        String.raw`  cat\u001b]0;owned\u0007.png  12.3 kB  image/png  (field photo)`,
        '',
      ].join('\n'),
    )
  })

  it('escapes C0 and C1 control characters but keeps line feeds', () => {
    expect(terminalSafe('a\u009b31mb\r\nc\td')).toBe(
      String.raw`a\u009b31mb\u000d` + '\nc' + String.raw`\u0009d`,
    )
  })

  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [4_200_000, '4.2 MB'],
    [7e12, '7000.0 GB'],
  ])('formatSize(%d) is %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text)
  })
})
