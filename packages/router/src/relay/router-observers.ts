import type { Logger } from '@faust/protocol'

/** Why an agent's socket stopped being the one that speaks for it. */
export type AgentDisconnectReason = 'closed' | 'replaced' | 'heartbeat_timeout'

/** Which way a relayed packet or request went. */
export type RelayDirection = 'to_backend' | 'to_agent'

/**
 * What happens inside the router, for metrics and the console's agent
 * timelines. Every member is optional; times (`at`) are the router clock's
 * milliseconds. Observers are called synchronously from the relay: they must
 * be cheap, and one that throws is logged and skipped, never fatal.
 */
export interface RouterObserver {
  /** A socket was bound to the agent (`alive`, or a heartbeat from a new socket); `reconnect` if one was bound before. */
  agentConnected?(event: { agentId: string; at: number; reconnect: boolean }): void
  agentDisconnected?(event: { agentId: string; at: number; reason: AgentDisconnectReason }): void
  /**
   * Every heartbeat/alive: `gapMs` since the previous one (0 for the first).
   * `rttMs` is the round trip a Faust page measured on its own clock for its
   * previous heartbeat (`faust_rtt_ms`, docs/protocol.md §14.4); null from a
   * page that reports none, and on `alive`.
   */
  heartbeat?(event: { agentId: string; at: number; gapMs: number; rttMs: number | null }): void
  /** One relayed packet or REST request, with its latency through the router. */
  relayed?(event: { kind: string; direction: RelayDirection; latencyMs: number }): void
  backendConnected?(event: { at: number }): void
  backendDisconnected?(event: { at: number }): void
}

type EventOf<TKey extends keyof RouterObserver> = Parameters<NonNullable<RouterObserver[TKey]>>[0]

/**
 * The observers of one router. `active` is a plain field so that the relay's
 * hot paths pay one property read, and build no event, while nobody watches.
 */
export class RouterObservers {
  #list: readonly RouterObserver[] = []
  readonly #log: Logger
  /** Whether any observer is registered. */
  active = false
  /**
   * Whether any observer has a `relayed` hook: only then are frames timed
   * (`faust run` always records its agents' connects, and that must not put
   * a clock read on every relayed packet).
   */
  timing = false

  constructor(logger: Logger) {
    this.#log = logger
  }

  /** Adds an observer; returns the function that removes it. */
  observe(observer: RouterObserver): () => void {
    this.#list = [...this.#list, observer]
    this.#update()
    return () => {
      this.#list = this.#list.filter((each) => each !== observer)
      this.#update()
    }
  }

  #update(): void {
    this.active = this.#list.length > 0
    this.timing = this.#list.some((observer) => observer.relayed !== undefined)
  }

  emit<TKey extends keyof RouterObserver>(key: TKey, event: EventOf<TKey>): void {
    for (const observer of this.#list) {
      const hook = observer[key] as ((event: EventOf<TKey>) => void) | undefined
      if (hook === undefined) continue
      try {
        hook.call(observer, event)
      } catch (error) {
        this.#log.warn(
          { code: 'ROUTER_OBSERVER_FAILED', hook: key, err: error },
          'a router observer threw; ignored',
        )
      }
    }
  }
}
