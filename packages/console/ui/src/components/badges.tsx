// Small labelled badges: live/ended, launching, agent status, connection.
import type { RunRow } from '../api/types.js'

export function RunStateBadges({ run }: { readonly run: RunRow }) {
  return (
    <span className="badges">
      {run.live ? (
        <span className="badge badge-live">Live</span>
      ) : run.endedAt !== null ? (
        <span className="badge badge-muted">Ended</span>
      ) : (
        <span className="badge badge-muted">Not running</span>
      )}
      {run.endedAt === null && (
        <span className={`badge ${run.launching === 'open' ? 'badge-ok' : 'badge-warn'}`}>
          {run.launching === 'open' ? 'Launching open' : 'Launching paused'}
        </span>
      )}
    </span>
  )
}

const STATUS_TONE: Readonly<Record<string, string>> = {
  completed: 'badge-ok',
  approved: 'badge-ok',
  accepted: 'badge-ok',
  in_task: 'badge-info',
  onboarding: 'badge-info',
  waiting: 'badge-info',
  none: 'badge-muted',
  rejected: 'badge-bad',
  soft_rejected: 'badge-warn',
  disconnected: 'badge-warn',
  timeout: 'badge-warn',
  expired: 'badge-muted',
  returned: 'badge-muted',
  partner_disconnect: 'badge-warn',
  pending: 'badge-info',
}

export function StatusBadge({ status }: { readonly status: string }) {
  const tone = STATUS_TONE[status.replaceAll(' ', '_')] ?? 'badge-muted'
  return <span className={`badge ${tone}`}>{status}</span>
}

export function ConnectedBadge({ connected }: { readonly connected: boolean | null }) {
  if (connected === null) return <span className="muted">—</span>
  return connected ? (
    <span className="badge badge-ok">Connected</span>
  ) : (
    <span className="badge badge-muted">Not connected</span>
  )
}
