// One run's agents (each linking to its timeline), its waiting rooms and live
// assignments with their members, and its error log.
import { describeError } from '../api/client.js'
import type { AgentRow, ErrorEntry, Rooms } from '../api/types.js'
import { runMoved, useResource } from '../api/use-resource.js'
import { ConnectedBadge, StatusBadge } from '../components/badges.js'
import { RunPage } from '../components/run-header.js'
import { formatClock, formatTime, formatValue } from '../format.js'
import { href } from '../router.js'

export function RunView({ runId }: { readonly runId: string }) {
  return (
    <RunPage runId={runId} tab="run" title="agents and rooms">
      {() => (
        <>
          <AgentsTable runId={runId} />
          <RoomsSection runId={runId} />
          <ErrorLog runId={runId} />
        </>
      )}
    </RunPage>
  )
}

function runPath(runId: string, what: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/${what}`
}

function AgentsTable({ runId }: { readonly runId: string }) {
  const agents = useResource<readonly AgentRow[]>(runPath(runId, 'agents'), runMoved(runId))
  return (
    <section aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      {agents.error !== null && <p role="alert">{describeError(agents.error)}</p>}
      {agents.data === undefined ? (
        <p role="status">Loading agents…</p>
      ) : agents.data.length === 0 ? (
        <p>No worker has registered yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Agents of this run</caption>
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col">Unit</th>
                <th scope="col">Live updates</th>
                <th scope="col">Errors</th>
                <th scope="col">Last RTT</th>
                <th scope="col">Connection</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {agents.data.map((agent) => (
                <AgentLine key={agent.agentId} runId={runId} agent={agent} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function AgentLine({ runId, agent }: { readonly runId: string; readonly agent: AgentRow }) {
  return (
    <tr>
      <th scope="row">{agent.workerName}</th>
      <td>
        <a
          href={href({ view: 'agent', runId, agentId: agent.agentId })}
          aria-label={`Timeline of agent ${agent.agentId} (${agent.workerName})`}
        >
          <code>{agent.agentId}</code>
        </a>
        {agent.kind === 'onboarding' && <span className="muted"> onboarding</span>}
      </td>
      <td>
        <StatusBadge status={agent.status} />
      </td>
      <td>{agent.unitId === null ? '—' : <code>{agent.unitId}</code>}</td>
      <td className="num">{agent.liveUpdates}</td>
      <td className={`num${agent.errors > 0 ? ' bad' : ''}`}>{agent.errors}</td>
      <td className="num">{agent.lastRttMs === null ? '—' : `${agent.lastRttMs} ms`}</td>
      <td>
        <ConnectedBadge connected={agent.connected} />
      </td>
      <td>{formatClock(agent.updatedAt)}</td>
    </tr>
  )
}

function RoomsSection({ runId }: { readonly runId: string }) {
  const rooms = useResource<Rooms>(runPath(runId, 'rooms'), runMoved(runId))
  const data = rooms.data
  return (
    <section aria-labelledby="rooms-title" className="two-col">
      <h2 id="rooms-title">Waiting rooms and live assignments</h2>
      {rooms.error !== null && <p role="alert">{describeError(rooms.error)}</p>}
      {data === undefined ? (
        <p role="status">Loading rooms…</p>
      ) : (
        <div className="cols">
          <div>
            <h3>Waiting ({data.waiting.length})</h3>
            {data.waiting.length === 0 ? (
              <p className="muted">Nobody is waiting.</p>
            ) : (
              <ul>
                {data.waiting.map((w) => (
                  <li key={w.agentId}>
                    <a href={href({ view: 'agent', runId, agentId: w.agentId })}>{w.workerName}</a>{' '}
                    <span className="muted">since {formatClock(w.since)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>Live assignments ({data.assignments.length})</h3>
            {data.assignments.length === 0 ? (
              <p className="muted">No assignment is live.</p>
            ) : (
              <ul>
                {data.assignments.map((a) => (
                  <li key={a.assignmentId}>
                    <code>{a.assignmentId}</code>:{' '}
                    {a.members.map((m, i) => (
                      <span key={m.agentId}>
                        {i > 0 && ', '}
                        <a href={href({ view: 'agent', runId, agentId: m.agentId })}>
                          {m.workerName}
                        </a>{' '}
                        <StatusBadge status={m.status} />
                      </span>
                    ))}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  )
}

function ErrorLog({ runId }: { readonly runId: string }) {
  const errors = useResource<readonly ErrorEntry[]>(runPath(runId, 'errors'), runMoved(runId))
  return (
    <section aria-labelledby="errors-title">
      <h2 id="errors-title">Error log</h2>
      {errors.error !== null && <p role="alert">{describeError(errors.error)}</p>}
      {errors.data === undefined ? (
        <p role="status">Loading errors…</p>
      ) : errors.data.length === 0 ? (
        <p className="muted">No errors reported.</p>
      ) : (
        <ol className="log">
          {errors.data.map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <time dateTime={new Date(e.at).toISOString()}>{formatTime(e.at)}</time>{' '}
              {e.agentId !== null && (
                <a href={href({ view: 'agent', runId, agentId: e.agentId })}>
                  <code>{e.agentId}</code>
                </a>
              )}{' '}
              <span className="error-text">{formatValue(e.data)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
