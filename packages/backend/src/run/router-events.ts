import { systemClock, type Clock, type TimerHandle } from '@faust/protocol'
import type { NewAgentEvent } from '../store/agent-events-repository.js'
import type { Store } from '../store/store.js'
import { silentLogger, type BackendLogger } from '../util/logger.js'

// The slice of @faust/router's RouterObserver (docs/console.md) that agent
// events are made of, declared here because the backend does not depend on
// the router: any RouterObserver implementation accepts this object.

/** An agent's socket opened (`reconnect` when it had one before). */
export interface AgentConnectedEvent {
  readonly agentId: string
  readonly at: number
  readonly reconnect: boolean
}

/** An agent's socket closed, was replaced by a newer one, or went silent. */
export interface AgentDisconnectedEvent {
  readonly agentId: string
  readonly at: number
  readonly reason: 'closed' | 'replaced' | 'heartbeat_timeout'
}

/** A heartbeat: the time since the previous one, and the round trip when measurable. */
export interface HeartbeatEvent {
  readonly agentId: string
  readonly at: number
  readonly gapMs: number
  readonly rttMs: number | null
}

/** What {@link recordRouterEvents} returns: router observer hooks, and its lifecycle. */
export interface RouterEventRecorder {
  agentConnected(event: AgentConnectedEvent): void
  agentDisconnected(event: AgentDisconnectedEvent): void
  heartbeat(event: HeartbeatEvent): void
  /** Writes what is buffered now. */
  flush(): Promise<void>
  /** Stops the timer and writes what is buffered. */
  close(): Promise<void>
  /** Events dropped by the caps since the start. */
  readonly dropped: number
}

/** Options of {@link recordRouterEvents}. */
export interface RouterEventOptions {
  readonly clock?: Clock | undefined
  readonly logger?: BackendLogger | undefined
  /** How often the buffer is written, in one batch. @default 1000 */
  readonly flushMs?: number | undefined
  /** A heartbeat gap above this is recorded as `heartbeat_gap`. @default 10000 */
  readonly gapThresholdMs?: number | undefined
  /** At most one `rtt` event per agent in this window. @default 10000 */
  readonly rttSampleMs?: number | undefined
  /** Events kept per agent over the run; later ones are dropped. @default 500 */
  readonly maxEventsPerAgent?: number | undefined
  /** Events buffered between writes; more are dropped. @default 5000 */
  readonly maxBuffered?: number | undefined
}

/**
 * Turns the router's observations of the run's agents into `agent_events`
 * rows for the console's timelines: connects, disconnects, heartbeat gaps
 * above a threshold and round-trip times sampled at most once per agent per
 * `rttSampleMs`. Writes are batched on the injected clock and capped per
 * agent and per batch, so a chatty or hostile page cannot grow the store
 * without limit. Never throws into the router: a failed write is logged.
 */
export function recordRouterEvents(
  store: Store,
  taskRunId: string,
  options: RouterEventOptions = {},
): RouterEventRecorder {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  const gapThresholdMs = options.gapThresholdMs ?? 10_000
  const rttSampleMs = options.rttSampleMs ?? 10_000
  const maxPerAgent = options.maxEventsPerAgent ?? 500
  const maxBuffered = options.maxBuffered ?? 5000
  const perAgent = new Map<string, number>()
  const lastRtt = new Map<string, number>()
  let buffer: NewAgentEvent[] = []
  let dropped = 0
  let writing: Promise<void> = Promise.resolve()

  const push = (event: Omit<NewAgentEvent, 'taskRunId'>): void => {
    const count = perAgent.get(event.agentId) ?? 0
    if (count >= maxPerAgent || buffer.length >= maxBuffered) {
      dropped++
      return
    }
    perAgent.set(event.agentId, count + 1)
    buffer.push({ ...event, taskRunId })
  }
  const flush = (): Promise<void> => {
    if (buffer.length === 0) return writing
    const batch = buffer
    buffer = []
    writing = writing
      .then(() => store.agentEvents.record(batch))
      .catch((error: unknown) => {
        logger.error({ err: error, events: batch.length }, 'agent events not stored')
      })
    return writing
  }
  const timer: TimerHandle = clock.setInterval(() => void flush(), options.flushMs ?? 1000)

  return {
    agentConnected: ({ agentId, at, reconnect }) => {
      push({ agentId, at, kind: 'connected', detail: { reconnect } })
    },
    agentDisconnected: ({ agentId, at, reason }) => {
      push({ agentId, at, kind: 'disconnected', detail: { reason } })
    },
    heartbeat: ({ agentId, at, gapMs, rttMs }) => {
      if (gapMs > gapThresholdMs) push({ agentId, at, kind: 'heartbeat_gap', detail: { gapMs } })
      if (rttMs === null) return
      const last = lastRtt.get(agentId)
      if (last !== undefined && at - last < rttSampleMs) return
      lastRtt.set(agentId, at)
      push({ agentId, at, kind: 'rtt', detail: { rttMs } })
    },
    flush,
    close: () => {
      clock.clearInterval(timer)
      return flush()
    },
    get dropped() {
      return dropped
    },
  }
}
