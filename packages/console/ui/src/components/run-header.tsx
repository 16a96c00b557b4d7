// The heading and tabs of every view about one run.
import type { ReactNode } from 'react'
import { describeError } from '../api/client.js'
import { useRun } from '../api/runs.js'
import type { RunRow } from '../api/types.js'
import { href } from '../router.js'
import { RunStateBadges } from './badges.js'

type Tab = 'run' | 'review' | 'controls' | 'audit'

const TABS: readonly { tab: Tab; label: string }[] = [
  { tab: 'run', label: 'Agents & rooms' },
  { tab: 'review', label: 'Review queue' },
  { tab: 'controls', label: 'Run controls' },
  { tab: 'audit', label: 'Audit log' },
]

interface RunPageProps {
  readonly runId: string
  readonly tab: Tab
  /** The view's own title, after the task's name. */
  readonly title: string
  readonly children: (run: RunRow) => ReactNode
}

/** Loads the run, then shows its header, tabs and `children(run)`. */
export function RunPage({ runId, tab, title, children }: RunPageProps) {
  const { run, error } = useRun(runId)
  if (run === undefined) {
    return error === null ? (
      <p role="status">Loading run…</p>
    ) : (
      <p role="alert">{describeError(error)}</p>
    )
  }
  if (run === null) {
    return (
      <section aria-labelledby="run-missing">
        <h1 id="run-missing">No run {runId}</h1>
        <p>
          <a href={href({ view: 'runs' })}>See the runs</a>
        </p>
      </section>
    )
  }
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={href({ view: 'runs' })}>Runs</a> › <span>{run.taskName}</span>
      </nav>
      <h1>
        {run.taskName}: {title}
      </h1>
      <p className="run-meta">
        Run <code>{run.runId}</code> · {run.taskType} · {run.providerType}{' '}
        <RunStateBadges run={run} />
      </p>
      <nav aria-label="Run views" className="tabs">
        {TABS.map(({ tab: t, label }) => (
          <a
            key={t}
            href={t === 'audit' ? href({ view: 'audit', runId }) : href({ view: t, runId })}
            aria-current={t === tab ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </nav>
      {children(run)}
    </>
  )
}
