// Every run, newest first: progress, units by status over time, throughput,
// expected time to finish, launching state and whether it is live.
import { describeError } from '../api/client.js'
import { useRuns } from '../api/runs.js'
import type { RunProgress, RunRow } from '../api/types.js'
import { runMoved, useResource } from '../api/use-resource.js'
import { RunStateBadges } from '../components/badges.js'
import { ProgressChart } from '../components/progress-chart.js'
import { formatClock, formatDuration, formatTime } from '../format.js'
import { href } from '../router.js'

export function RunsView() {
  const runs = useRuns()
  return (
    <section aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      {runs.error !== null && <p role="alert">{describeError(runs.error)}</p>}
      {runs.data === undefined ? (
        <p role="status">Loading runs…</p>
      ) : runs.data.length === 0 ? (
        <p>
          No runs in this data folder yet. Start one with <code>faust run</code>.
        </p>
      ) : (
        <ul className="run-list">
          {runs.data.map((run) => (
            <li key={run.runId}>
              <RunCard run={run} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function RunCard({ run }: { readonly run: RunRow }) {
  const progress = useResource<RunProgress>(
    `/api/runs/${encodeURIComponent(run.runId)}/progress`,
    runMoved(run.runId),
  )
  const p = run.progress
  const titleId = `run-${run.runId}`
  return (
    <article className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>
        <a href={href({ view: 'run', runId: run.runId })}>{run.taskName}</a>{' '}
        <RunStateBadges run={run} />
      </h2>
      <p className="run-meta">
        Run <code>{run.runId}</code> · started {formatTime(run.createdAt)}
        {run.endedAt !== null && <> · ended {formatTime(run.endedAt)}</>} · {run.providerType}
      </p>
      <label className="progress-label">
        <span>
          {p.completed} of {p.total} units completed
        </span>
        <progress max={Math.max(p.total, 1)} value={p.completed} />
      </label>
      <dl className="stats">
        <Stat label="Waiting" value={p.waiting} />
        <Stat label="Launched" value={p.launched} />
        <Stat label="In progress" value={p.inProgress} />
        <Stat label="Completed" value={p.completed} />
        <Stat label="Expired" value={p.expired} />
        <Stat label="Active workers" value={p.activeWorkers} />
        <Stat
          label="Throughput"
          value={
            progress.data === undefined ? '…' : `${progress.data.throughputPerHour.toFixed(1)} / h`
          }
        />
        <Stat label="Expected to finish" value={finishText(run, progress.data)} />
      </dl>
      {progress.data !== undefined && (
        <ProgressChart series={progress.data.series} label="Units by status over time" />
      )}
      <p className="card-links">
        <a href={href({ view: 'run', runId: run.runId })}>Agents &amp; rooms</a>
        <a href={href({ view: 'review', runId: run.runId })}>Review queue</a>
        <a href={href({ view: 'controls', runId: run.runId })}>Run controls</a>
      </p>
    </article>
  )
}

/** `17:52:10 (in 4 min 2 s)`: the server's expected finish time at the recent pace. */
function finishText(run: RunRow, progress: RunProgress | undefined): string {
  if (run.endedAt !== null) return 'ended'
  if (progress === undefined) return '…'
  if (progress.etaMs === null) {
    return run.progress.total > 0 &&
      run.progress.completed + run.progress.expired >= run.progress.total
      ? 'done'
      : 'not known yet'
  }
  return `${formatClock(progress.etaMs)} (in ${formatDuration(progress.etaMs - Date.now())})`
}

function Stat({ label, value }: { readonly label: string; readonly value: string | number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}
