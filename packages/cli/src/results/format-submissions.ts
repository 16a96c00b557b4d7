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

/** The prefix of the CSV columns holding one top-level field of the answer each. */
export const DATA_FIELD_PREFIX = 'data.'

/**
 * Submissions as JSON Lines (one object per line) or CSV with a header row.
 * The CSV has, beside the `data` column (the whole answer as JSON), one
 * `data.<field>` column per top-level field of the answers, so a
 * spreadsheet shows each answer's fields (see {@link answerFields}).
 */
export function formatSubmissions(
  submissions: readonly SubmissionExport[],
  format: ResultFormat,
): string {
  switch (format) {
    case 'jsonl':
      return submissions.map((submission) => `${JSON.stringify(submission)}\n`).join('')
    case 'csv':
      return formatCsv(submissions)
  }
}

function formatCsv(submissions: readonly SubmissionExport[]): string {
  const fields = answerFields(submissions)
  const dataAt = SUBMISSION_COLUMNS.indexOf('data') + 1
  const before = SUBMISSION_COLUMNS.slice(0, dataAt)
  const after = SUBMISSION_COLUMNS.slice(dataAt)
  const header = [...before, ...fields.map((field) => `${DATA_FIELD_PREFIX}${field}`), ...after]
  const record = (submission: SubmissionExport): string => {
    const answer = isRecord(submission.data) ? submission.data : {}
    return csvRecord([
      ...before.map((column) => csvCell(submission[column])),
      // A field this answer lacks is an empty cell; nested values are compact JSON.
      ...fields.map((field) => csvCell(Object.hasOwn(answer, field) ? answer[field] : undefined)),
      ...after.map((column) => csvCell(submission[column])),
    ])
  }
  return [csvRecord(header), ...submissions.map(record)].join('')
}

/**
 * The top-level fields of the answers that are JSON objects, each once, in
 * the order first seen (the first answer's fields, then those new in the
 * second…); answers that are not objects (a string, an array) add none.
 */
export function answerFields(submissions: readonly SubmissionExport[]): string[] {
  const fields = new Set<string>()
  for (const submission of submissions) {
    if (!isRecord(submission.data)) continue
    for (const field of Object.keys(submission.data)) fields.add(field)
  }
  return [...fields]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
