// One EventSource on /api/stream for the whole page. Each `changed` event says
// which runs moved and the audit log's last id; views refetch only what it
// names. The browser reconnects an EventSource by itself.
import { useSyncExternalStore } from 'react'
import type { ChangedEvent } from './types.js'

type Listener = (event: ChangedEvent) => void

export type StreamState = 'connecting' | 'open' | 'closed'

const listeners = new Set<Listener>()
const stateListeners = new Set<() => void>()
let source: EventSource | null = null
let state: StreamState = 'connecting'

function setState(next: StreamState): void {
  if (state === next) return
  state = next
  for (const listener of stateListeners) listener()
}

function parseChanged(data: string): ChangedEvent | null {
  try {
    const value = JSON.parse(data) as Partial<ChangedEvent>
    return {
      runs: Array.isArray(value.runs) ? value.runs.filter((r) => typeof r === 'string') : [],
      audit: typeof value.audit === 'number' ? value.audit : null,
    }
  } catch {
    return null
  }
}

/** Opens the stream once; later calls do nothing. */
export function openStream(): void {
  if (source !== null) return
  source = new EventSource('/api/stream')
  source.addEventListener('open', () => setState('open'))
  source.addEventListener('error', () => {
    setState(source?.readyState === EventSource.CLOSED ? 'closed' : 'connecting')
  })
  source.addEventListener('changed', (message) => {
    const event = parseChanged((message as MessageEvent<string>).data)
    if (event !== null) emitChanged(event)
  })
}

/** Tells every view that something moved (also used after the UI's own actions). */
export function emitChanged(event: ChangedEvent): void {
  for (const listener of listeners) listener(event)
}

/** Calls `listener` on every change; returns the unsubscribe. */
export function onChanged(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The stream's connection state, for the header's badge. */
export function useStreamState(): StreamState {
  return useSyncExternalStore(
    (notify) => {
      stateListeners.add(notify)
      return () => stateListeners.delete(notify)
    },
    () => state,
  )
}
