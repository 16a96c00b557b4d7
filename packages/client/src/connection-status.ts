/** `mephisto-task`'s connection status strings, same keys and values (`socket_handler.jsx`). */
export const CONNECTION_STATUS = {
  FAILED: 'failed',
  INITIALIZING: 'initializing',
  WEBSOCKETS_FAILURE: 'websockets_failure',
  CONNECTED: 'connected',
  DISCONNECTED: 'disconnected',
  RECONNECTING_ROUTER: 'reconnecting_router',
  DISCONNECTED_ROUTER: 'disconnected_router',
  RECONNECTING_SERVER: 'reconnecting_server',
  DISCONNECTED_SERVER: 'disconnected_server',
} as const

/** One of the {@link CONNECTION_STATUS} strings, or `''` before the first connect (as the reference). */
export type ConnectionStatus = (typeof CONNECTION_STATUS)[keyof typeof CONNECTION_STATUS] | ''

/** Why a live connection ended for good. */
export type CloseReason =
  /** `destroy()` was called. */
  | 'destroyed'
  /** Too many heartbeats went unanswered: the router is unreachable. */
  | 'router_dead'
  /** The router reports that the backend stopped polling it. */
  | 'server_dead'
  /** The router closed the socket with a code that says retrying cannot help. */
  | 'rejected'
  /** No WebSocket implementation is available. */
  | 'unsupported'
  /**
   * A newer socket for the same agent (another tab, a reload) took over (close
   * code 4410): reconnecting would only take it back from that tab.
   */
  | 'replaced'

/** Why a live connection is being re-established. */
export type ReconnectReason = 'closed' | 'heartbeat'

/** The state of the live connection; only states that can have a cause carry one. */
export type ConnectionState =
  | { readonly status: 'idle' }
  | { readonly status: 'connecting'; readonly attempt: number }
  | { readonly status: 'connected' }
  | { readonly status: 'reconnecting'; readonly attempt: number; readonly reason: ReconnectReason }
  | { readonly status: 'closed'; readonly reason: CloseReason; readonly code?: number }

const CLOSED_STATUS: Record<CloseReason, ConnectionStatus> = {
  destroyed: CONNECTION_STATUS.DISCONNECTED,
  router_dead: CONNECTION_STATUS.DISCONNECTED_ROUTER,
  server_dead: CONNECTION_STATUS.DISCONNECTED_SERVER,
  rejected: CONNECTION_STATUS.FAILED,
  unsupported: CONNECTION_STATUS.WEBSOCKETS_FAILURE,
  replaced: CONNECTION_STATUS.DISCONNECTED,
}

/** The reference's {@link ConnectionStatus} string for a {@link ConnectionState}. */
export function toConnectionStatus(state: ConnectionState): ConnectionStatus {
  switch (state.status) {
    case 'idle':
      return ''
    case 'connecting':
      return CONNECTION_STATUS.INITIALIZING
    case 'connected':
      return CONNECTION_STATUS.CONNECTED
    case 'reconnecting':
      // The reference shows `reconnecting_router` when it restarts a silent
      // socket, and `disconnected` when the socket closed under it.
      return state.reason === 'heartbeat'
        ? CONNECTION_STATUS.RECONNECTING_ROUTER
        : CONNECTION_STATUS.DISCONNECTED
    case 'closed':
      return CLOSED_STATUS[state.reason]
  }
}
