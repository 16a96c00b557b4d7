import type { SubmissionExport } from '@faust/backend/store'
import { formatMoney } from '../providers/provider-flags.js'

// C0 and C1 control characters but the line feed: a worker's answer, name
// or file name could otherwise carry terminal escape sequences (clear the
// screen, retitle the window, fake a prompt) into the operator's terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g

/** `text` with control characters shown as `\u…` escapes, line feeds kept. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A byte count as people read it: `512 B`, `12.3 kB`, `4.0 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${String(bytes)} B`
  const units = ['kB', 'MB', 'GB']
  let value = bytes / 1000
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'GB'}`
}

/**
 * One submission awaiting review, as `faust review` shows it: the unit, the
 * worker, when it was handed in (UTC), the answer as indented JSON and each
 * file with its size and type. Everything the worker controlled is made
 * terminal-safe.
 */
export function formatPendingUnit(
  submission: SubmissionExport,
  position: { readonly index: number; readonly total: number },
): string {
  const data = JSON.stringify(submission.data, null, 2) ?? 'null'
  const lines = [
    `── unit ${String(position.index + 1)} of ${String(position.total)}: ${submission.unitId} (run ${submission.taskRunId})`,
    `worker:    ${submission.workerName} (${submission.providerType}, ${submission.workerId})`,
    `submitted: ${new Date(submission.submittedAt).toISOString()}`,
    'data:',
    ...data.split('\n').map((line) => `  ${line}`),
  ]
  if (submission.bonusCents > 0) lines.push(`bonuses:   ${formatMoney(submission.bonusCents)} paid`)
  if (submission.files.length === 0) lines.push('files:     none')
  else {
    lines.push('files:')
    for (const file of submission.files) {
      lines.push(
        `  ${file.originalName}  ${formatSize(file.sizeBytes)}  ${file.mimetype}  (field ${file.fieldName})`,
      )
    }
  }
  return `${terminalSafe(lines.join('\n'))}\n`
}
