// The audit log: every operator action from the CLI or the console, newest
// first, for one run or for the whole data folder.
import { describeError } from '../api/client.js'
import type { AuditEntry } from '../api/types.js'
import { auditMoved, useResource } from '../api/use-resource.js'
import { KeyValues } from '../components/key-values.js'
import { RunPage } from '../components/run-header.js'
import { formatTime } from '../format.js'

const OUTCOME_TEXT: Readonly<Record<AuditEntry['outcome'], string>> = {
  done: 'done',
  already_done: 'already done',
  failed: 'failed',
}

export function AuditView({ runId }: { readonly runId: string | null }) {
  if (runId === null) {
    return (
      <section aria-labelledby="audit-title">
        <h1 id="audit-title">Audit log</h1>
        <p>Every operator action in this data folder, from the command line or this console.</p>
        <AuditTable runId={null} />
      </section>
    )
  }
  return (
    <RunPage runId={runId} tab="audit" title="audit log">
      {() => <AuditTable runId={runId} />}
    </RunPage>
  )
}

function AuditTable({ runId }: { readonly runId: string | null }) {
  const path = runId === null ? '/api/audit' : `/api/audit?run=${encodeURIComponent(runId)}`
  const audit = useResource<readonly AuditEntry[]>(path, auditMoved)
  if (audit.error !== null) return <p role="alert">{describeError(audit.error)}</p>
  if (audit.data === undefined) return <p role="status">Loading the audit log…</p>
  if (audit.data.length === 0) return <p>No operator action recorded yet.</p>
  const entries = [...audit.data].reverse()
  return (
    <div className="table-wrap">
      <table className="audit">
        <caption className="visually-hidden">Audit entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            {runId === null && <th scope="col">Task</th>}
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-action={entry.action}>
              <td className="num">{entry.id}</td>
              <td>{formatTime(entry.at)}</td>
              <td>{entry.actor}</td>
              <td>
                <code>{entry.action}</code>
              </td>
              {runId === null && <td>{entry.taskName ?? '—'}</td>}
              <td>{entry.target === null ? '—' : <code>{entry.target}</code>}</td>
              <td className={`outcome-${entry.outcome}`}>
                {OUTCOME_TEXT[entry.outcome]}
                {entry.error !== null && (
                  <>
                    {' '}
                    (<code>{entry.error}</code>)
                  </>
                )}
              </td>
              <td>
                <KeyValues value={entry.detail} inline />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
