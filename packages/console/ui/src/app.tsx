// The shell: header with the views' links and the stream's state, then the
// current view in <main>. The session is read first; without the cookie the
// page says how to get one (the link `faust console` prints).
import { useEffect, useRef, useState } from 'react'
import { ApiError, describeError, loadSession } from './api/client.js'
import { openStream, useStreamState } from './api/stream.js'
import type { Session } from './api/types.js'
import { href, useRoute, type Route } from './router.js'
import { AgentView } from './views/agent-view.js'
import { AuditView } from './views/audit-view.js'
import { ControlsView } from './views/controls-view.js'
import { ReviewView } from './views/review-view.js'
import { RunView } from './views/run-view.js'
import { RunsView } from './views/runs-view.js'

export function App() {
  const [session, setSession] = useState<Session | null>(null)
  const [failure, setFailure] = useState<unknown>(null)
  useEffect(() => {
    loadSession()
      .then((value) => {
        setSession(value)
        openStream()
      })
      .catch(setFailure)
  }, [])
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <Header session={session} />
      <main id="content" tabIndex={-1}>
        {failure !== null ? (
          <SessionProblem failure={failure} />
        ) : session === null ? (
          <p role="status">Loading…</p>
        ) : (
          <CurrentView />
        )}
      </main>
    </>
  )
}

function Header({ session }: { readonly session: Session | null }) {
  const route = useRoute()
  const stream = useStreamState()
  const top = route.view === 'audit' ? 'audit' : 'runs'
  return (
    <header className="app-header">
      <p className="brand">Faust console</p>
      <nav aria-label="Console">
        <a href={href({ view: 'runs' })} aria-current={top === 'runs' ? 'page' : undefined}>
          Runs
        </a>
        <a
          href={href({ view: 'audit', runId: null })}
          aria-current={top === 'audit' ? 'page' : undefined}
        >
          Audit log
        </a>
      </nav>
      {session !== null && (
        <p className="header-meta">
          <span className={`badge stream-${stream}`} role="status">
            {stream === 'open' ? 'Live updates on' : 'Live updates reconnecting…'}
          </span>{' '}
          <span title={session.dataDir}>{session.dataDir}</span> · v{session.version}
        </p>
      )}
    </header>
  )
}

function SessionProblem({ failure }: { readonly failure: unknown }) {
  if (failure instanceof ApiError && failure.status === 401) {
    return (
      <section aria-labelledby="signin-title">
        <h1 id="signin-title">Open the console&apos;s link</h1>
        <p>
          This page needs the link that <code>faust console</code> or <code>faust run</code> printed
          (<code>console: http://…/?token=…</code>). Open that link once in this browser.
        </p>
      </section>
    )
  }
  return (
    <section aria-labelledby="error-title">
      <h1 id="error-title">The console could not start</h1>
      <p role="alert">{describeError(failure)}</p>
    </section>
  )
}

function CurrentView() {
  const route = useRoute()
  useFocusOnRoute(route)
  switch (route.view) {
    case 'runs':
      return <RunsView />
    case 'run':
      return <RunView runId={route.runId} />
    case 'agent':
      return <AgentView runId={route.runId} agentId={route.agentId} />
    case 'review':
      return <ReviewView runId={route.runId} />
    case 'controls':
      return <ControlsView runId={route.runId} />
    case 'audit':
      return <AuditView runId={route.runId} />
    case 'not_found':
      return (
        <section aria-labelledby="nf-title">
          <h1 id="nf-title">Nothing here</h1>
          <p>
            No view at <code>{route.path}</code>. <a href={href({ view: 'runs' })}>See the runs</a>.
          </p>
        </section>
      )
  }
}

/** Moves focus to the new view's heading on navigation, as a page load would. */
function useFocusOnRoute(route: Route): void {
  const key = href(route)
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    const heading = document.querySelector<HTMLElement>('main h1')
    if (heading !== null) {
      heading.tabIndex = -1
      heading.focus()
    }
  }, [key])
}
