import { plural } from '../plural.js'
import { formatTable } from '../table.js'
import type { ReconcileReport } from './backend-api.js'

/** Which run was reconciled and on what, for the report's first line. */
export interface ReconcileSubject {
  readonly taskName: string
  readonly platform: string
  readonly sandbox: boolean
}

/**
 * `faust reconcile`'s report: a summary line, then one row per event (what
 * drifted, the agent and attempt, what was found, and whether it was
 * repaired). A dry run says that nothing was applied.
 */
export function formatReconcileReport(report: ReconcileReport, subject: ReconcileSubject): string {
  const where = `${subject.platform}${subject.sandbox ? ' sandbox' : ''}`
  const summary =
    `${subject.taskName}: run ${report.runId} on ${where}: ${plural(report.attempts, 'attempt')} checked, ` +
    `${report.events.length === 0 ? 'no drift' : plural(report.events.length, 'event')}` +
    `${report.dryRun ? ' (dry run: nothing changed)' : ''}\n`
  if (report.events.length === 0) return summary
  return (
    summary +
    formatTable(
      ['event', 'agent', 'attempt', 'applied', 'detail'],
      report.events.map((event) => [
        event.kind,
        event.agentId ?? '-',
        event.attemptId ?? '-',
        event.applied ? 'yes' : 'no',
        event.detail,
      ]),
    )
  )
}

/** `--json`: the report as one JSON object. */
export function formatReconcileJson(report: ReconcileReport, subject: ReconcileSubject): string {
  return `${JSON.stringify({ task: subject.taskName, platform: subject.platform, sandbox: subject.sandbox, ...report })}\n`
}
