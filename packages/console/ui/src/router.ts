// Routes by the address's hash (#/runs/…), so the server serves one page and
// the browser's back button works without a router library.
import { useSyncExternalStore } from 'react'

export type Route =
  | { readonly view: 'runs' }
  | { readonly view: 'run'; readonly runId: string }
  | { readonly view: 'agent'; readonly runId: string; readonly agentId: string }
  | { readonly view: 'review'; readonly runId: string }
  | { readonly view: 'controls'; readonly runId: string }
  | { readonly view: 'audit'; readonly runId: string | null }
  | { readonly view: 'not_found'; readonly path: string }

/** Parses `#/…` into a route. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/'
  const parts = path
    .split('/')
    .filter((part) => part !== '')
    .map(decodeURIComponent)
  const [first, runId, second, agentId] = parts
  if (first === undefined) return { view: 'runs' }
  if (first === 'audit') return { view: 'audit', runId: runId ?? null }
  if (first === 'runs' && runId !== undefined) {
    if (second === undefined) return { view: 'run', runId }
    if (second === 'agents' && agentId !== undefined) return { view: 'agent', runId, agentId }
    if (second === 'review') return { view: 'review', runId }
    if (second === 'controls') return { view: 'controls', runId }
  }
  return { view: 'not_found', path }
}

/** The hash address of a route. */
export function href(route: Route): string {
  const e = encodeURIComponent
  switch (route.view) {
    case 'runs':
      return '#/'
    case 'run':
      return `#/runs/${e(route.runId)}`
    case 'agent':
      return `#/runs/${e(route.runId)}/agents/${e(route.agentId)}`
    case 'review':
      return `#/runs/${e(route.runId)}/review`
    case 'controls':
      return `#/runs/${e(route.runId)}/controls`
    case 'audit':
      return route.runId === null ? '#/audit' : `#/audit/${e(route.runId)}`
    case 'not_found':
      return `#${route.path}`
  }
}

function subscribe(notify: () => void): () => void {
  window.addEventListener('hashchange', notify)
  return () => window.removeEventListener('hashchange', notify)
}

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash)
  return parseRoute(hash)
}
