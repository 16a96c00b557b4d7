/** Timings and limits of the live connection; the defaults are `mephisto-task`'s (docs/protocol.md §8.4). */
export interface LiveConfig {
  /** Time between heartbeats. @default 6000 */
  readonly heartbeatIntervalMs: number
  /** Delay of the first heartbeat after each socket open. @default 500 */
  readonly firstHeartbeatDelayMs: number
  /** Unanswered heartbeats after which the socket is reopened. @default 5 */
  readonly reconnectAfterMissedHeartbeats: number
  /** Unanswered heartbeats after which the client gives up (`disconnected_router`). @default 10 */
  readonly giveUpAfterMissedHeartbeats: number
  /**
   * Age of the backend's last poll, on the router's clock, after which the
   * backend counts as gone (`mephisto disconnect`). @default 20000
   */
  readonly backendDeadAfterMs: number
  /** A remote procedure with no answer fails with `TIMEOUT` after this long. @default 30000 */
  readonly rpcTimeoutMs: number
  /** Outgoing packets kept while the socket is down; beyond it sends fail. @default 1000 */
  readonly maxQueuedPackets: number
  /** Delivered `update_id`s remembered to drop duplicates. @default 1000 */
  readonly maxRememberedUpdateIds: number
}

/** The {@link LiveConfig} defaults. */
export const DEFAULT_LIVE_CONFIG: LiveConfig = {
  heartbeatIntervalMs: 6000,
  firstHeartbeatDelayMs: 500,
  reconnectAfterMissedHeartbeats: 5,
  giveUpAfterMissedHeartbeats: 10,
  backendDeadAfterMs: 20_000,
  rpcTimeoutMs: 30_000,
  maxQueuedPackets: 1000,
  maxRememberedUpdateIds: 1000,
}

/** The `config` prop of `mephisto-task`'s live hook (which ignores it, docs/protocol.md W19). */
export interface ReferenceSocketConfig {
  readonly heartbeatTime?: number
  readonly refreshSocketMissedResponses?: number
  readonly routerDeadTimeout?: number
  readonly connectionDeadMephistoPing?: number
  /** Accepted and ignored: packets are sent at once, not on a 100 ms tick. */
  readonly sendThreadRefresh?: number
}

/** Translates the reference's `config` keys into a partial {@link LiveConfig}. */
export function liveConfigFromReference(config: ReferenceSocketConfig): Partial<LiveConfig> {
  const result: Record<string, number> = {}
  const pairs: [keyof ReferenceSocketConfig, keyof LiveConfig][] = [
    ['heartbeatTime', 'heartbeatIntervalMs'],
    ['refreshSocketMissedResponses', 'reconnectAfterMissedHeartbeats'],
    ['routerDeadTimeout', 'giveUpAfterMissedHeartbeats'],
    ['connectionDeadMephistoPing', 'backendDeadAfterMs'],
  ]
  for (const [from, to] of pairs) {
    const value = config[from]
    if (typeof value === 'number') result[to] = value
  }
  return result
}
