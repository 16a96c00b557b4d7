import { CloseCode } from '@faust/protocol'
import type { AgentConnection } from './connection.js'
import type { RelayLogger } from './relay-logger.js'

/**
 * Newest socket wins: when another socket claims an agent (a second tab, a
 * reload whose old socket the router still thinks open), the older one is
 * closed with 4410 so it neither keeps receiving the agent's updates nor
 * takes them back with its next heartbeat; the page knows not to reconnect.
 */
export function closeReplacedSocket(
  previous: AgentConnection,
  agentId: string,
  log: RelayLogger,
): void {
  if (!previous.isOpen) return
  log.info({ agentId }, 'a newer socket claimed this agent; closing the older one')
  previous.close(CloseCode.REPLACED_BY_NEWER_SOCKET, 'a newer socket took over this agent')
}
