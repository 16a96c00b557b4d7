import type { SubmissionExport } from '@faust/backend/store'
import { csvCell, csvRecord } from './csv.js'

/** Output formats of `faust results`. */
export const RESULT_FORMATS = ['jsonl', 'csv'] as const

/** One of {@link RESULT_FORMATS}. */
export type ResultFormat = (typeof RESULT_FORMATS)[number]

/** The CSV columns, in order: every field of a {@link SubmissionExport}, ids first, answers last. */
export const SUBMISSION_COLUMNS = [
  'taskName',
  'taskType',
  'taskRunId',
  'assignmentId',
  'unitId',
  'unitIndex',
  'unitKind',
  'unitStatus',
  'pay',
  'agentId',
  'agentStatus',
  'workerId',
  'workerName',
  'providerType',
  'submittedAt',
  'sharedData',
  'unitData',
  'data',
  'files',
  'remoteCalls',
  'liveUpdates',
  // The crowd platform's view, after everything else: the platform's raw
  // status of the attempt, Faust's normalised one, the review (accepted,
  // rejected, soft_rejected or empty), bonuses paid in cents, the reason
  // given. Empty for the mock provider's workers.
  'providerStatus',
  'attemptStatus',
  'reviewStatus',
  'bonusCents',
  'reviewReason',
] as const satisfies readonly (keyof SubmissionExport)[]

/** Submissions as JSON Lines (one object per line) or CSV with a header row. */
export function formatSubmissions(
  submissions: readonly SubmissionExport[],
  format: ResultFormat,
): string {
  switch (format) {
    case 'jsonl':
      return submissions.map((submission) => `${JSON.stringify(submission)}\n`).join('')
    case 'csv':
      return [
        csvRecord(SUBMISSION_COLUMNS),
        ...submissions.map((submission) =>
          csvRecord(SUBMISSION_COLUMNS.map((column) => csvCell(submission[column]))),
        ),
      ].join('')
  }
}
