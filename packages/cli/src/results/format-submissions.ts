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
] as const satisfies readonly (keyof SubmissionExport)[]

/**
 * The crowd platform's view of each submission, after the columns above (in
 * this order): the platform's raw status of the attempt, Faust's normalised
 * one, the review (accepted, rejected, soft_rejected, or empty), the bonuses
 * paid in cents, and the reason given. Null for the mock provider's workers.
 *
 * MERGE (issue 13): when @faust/backend/store's SubmissionExport has these
 * fields, append `...PROVIDER_COLUMNS` to SUBMISSION_COLUMNS (JSON Lines has
 * them already, as every field of the export), and add them at the end of
 * the expected headers in format-submissions.test.ts and cli-results.test.ts.
 */
export const PROVIDER_COLUMNS = [
  'providerStatus',
  'attemptStatus',
  'reviewStatus',
  'bonusCents',
  'reviewReason',
] as const

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
