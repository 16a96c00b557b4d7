import type { AuditEntry, Store } from '@faust/backend/store'
import { formatTable } from '../table.js'

/** Which entries `faust audit` shows; both filters apply together. */
export interface AuditFilter {
  readonly taskName?: string | undefined
  readonly taskRunId?: string | undefined
}

/** The store answers in pages of this many; `faust audit` reads them all. */
const PAGE = 1000

/** Every audit entry matching the filter, oldest first. */
export async function listAudit(store: Store, filter: AuditFilter): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = []
  for (;;) {
    const page = await store.audit.list({
      taskName: filter.taskName,
      taskRunId: filter.taskRunId,
      after: entries.at(-1)?.id,
      limit: PAGE,
    })
    entries.push(...page)
    if (page.length < PAGE) return entries
  }
}

/** Entries as a table: id, time (UTC), actor, action, task, target, outcome, and the detail. */
export function formatAudit(entries: readonly AuditEntry[]): string {
  return formatTable(
    ['ID', 'AT', 'ACTOR', 'ACTION', 'TASK', 'TARGET', 'OUTCOME', 'DETAIL'],
    entries.map((entry) => [
      String(entry.id),
      new Date(entry.at).toISOString(),
      entry.actor,
      entry.action,
      entry.taskName ?? '',
      entry.target ?? '',
      entry.error === null ? entry.outcome : `${entry.outcome}: ${entry.error}`,
      formatDetail(entry.detail),
    ]),
  )
}

/** `reason=spam amountCents=50`: the detail's set values, those repeated elsewhere left out. */
function formatDetail(detail: Readonly<Record<string, unknown>>): string {
  return Object.entries(detail)
    .filter(([key, value]) => value !== null && value !== undefined && !REPEATED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ')
}

// Already in the OUTCOME column.
const REPEATED: ReadonlySet<string> = new Set(['result', 'error'])
