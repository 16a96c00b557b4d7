// One agent's timeline: its row's numbers, then every event in order with an
// icon and a label (the icon is decoration; the label says it).
import { describeError } from '../api/client.js'
import type { AgentEvent, AgentEventKind, AgentTimeline } from '../api/types.js'
import { runMoved, useResource } from '../api/use-resource.js'
import { ConnectedBadge, StatusBadge } from '../components/badges.js'
import { KeyValues } from '../components/key-values.js'
import { RunPage } from '../components/run-header.js'
import { formatTime } from '../format.js'

const EVENTS: Readonly<Record<AgentEventKind, { icon: string; label: string }>> = {
  registered: { icon: '✚', label: 'Registered' },
  status: { icon: '◆', label: 'Status changed' },
  connected: { icon: '●', label: 'Connected' },
  disconnected: { icon: '○', label: 'Disconnected' },
  heartbeat_gap: { icon: '⋯', label: 'Heartbeat gap' },
  rtt: { icon: '⇄', label: 'Round trip' },
  live_update: { icon: '✎', label: 'Live update' },
  error: { icon: '⚠', label: 'Error' },
  submitted: { icon: '✔', label: 'Submitted' },
  reviewed: { icon: '★', label: 'Reviewed' },
}

export function AgentView({
  runId,
  agentId,
}: {
  readonly runId: string
  readonly agentId: string
}) {
  const timeline = useResource<AgentTimeline>(
    `/api/agents/${encodeURIComponent(agentId)}/timeline`,
    runMoved(runId),
  )
  return (
    <RunPage runId={runId} tab="run" title={`agent ${agentId}`}>
      {() => (
        <>
          {timeline.error !== null && <p role="alert">{describeError(timeline.error)}</p>}
          {timeline.data === undefined ? (
            <p role="status">Loading the timeline…</p>
          ) : (
            <TimelineBody timeline={timeline.data} />
          )}
        </>
      )}
    </RunPage>
  )
}

function TimelineBody({ timeline }: { readonly timeline: AgentTimeline }) {
  const a = timeline.agent
  return (
    <>
      <section aria-labelledby="agent-summary">
        <h2 id="agent-summary">
          {a.workerName} <StatusBadge status={a.status} />{' '}
          {a.connected !== null && <ConnectedBadge connected={a.connected} />}
        </h2>
        <dl className="stats">
          <div>
            <dt>Worker id</dt>
            <dd>
              <code>{a.workerId}</code>
            </dd>
          </div>
          <div>
            <dt>Unit</dt>
            <dd>{a.unitId ?? '—'}</dd>
          </div>
          <div>
            <dt>Assignment</dt>
            <dd>{a.assignmentId ?? '—'}</dd>
          </div>
          <div>
            <dt>Live updates</dt>
            <dd>{a.liveUpdates}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd>{a.errors}</dd>
          </div>
          <div>
            <dt>Last RTT</dt>
            <dd>{a.lastRttMs === null ? '—' : `${a.lastRttMs} ms`}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline ({timeline.events.length} events)</h2>
        {timeline.events.length === 0 ? (
          <p className="muted">No events recorded.</p>
        ) : (
          <ol className="timeline">
            {timeline.events.map((event, i) => (
              <TimelineEvent key={`${event.at}-${i}`} event={event} />
            ))}
          </ol>
        )}
      </section>
    </>
  )
}

function TimelineEvent({ event }: { readonly event: AgentEvent }) {
  const known = EVENTS[event.kind] as { icon: string; label: string } | undefined
  const look = known ?? { icon: '•', label: event.kind }
  return (
    <li className={`event event-${event.kind}`} data-kind={event.kind}>
      <span className="event-icon" aria-hidden="true">
        {look.icon}
      </span>
      <time dateTime={new Date(event.at).toISOString()}>{formatTime(event.at)}</time>
      <strong className="event-label">{look.label}</strong>
      {Object.keys(event.detail).length > 0 && <KeyValues value={event.detail} inline />}
    </li>
  )
}
