import { CloseCode, type Logger } from '@faust/protocol'
import type { RoutedAgent } from './agent-registry.js'
import type { AgentConnection } from './connection.js'

/**
 * Whether another open socket holds the agent. Such a socket's live updates
 * are refused: it never claimed the agent (`alive` or `heartbeat`, which
 * take it over), so it would speak into another tab's task unseen. A page
 * always sends `alive` first, so only a stray or foreign socket meets this.
 */
export function isHeldByAnother(
  record: RoutedAgent | undefined,
  connection: AgentConnection,
): boolean {
  const holder = record?.connection ?? null
  return holder !== null && holder !== connection && holder.isOpen
}

/**
 * Newest socket wins: when another socket claims an agent (a second tab, a
 * reload whose old socket the router still thinks open), the older one is
 * closed with 4410 so it neither keeps receiving the agent's updates nor
 * takes them back with its next heartbeat; the page knows not to reconnect.
 */
export function closeReplacedSocket(previous: AgentConnection, agentId: string, log: Logger): void {
  if (!previous.isOpen) return
  log.info({ agentId }, 'a newer socket claimed this agent; closing the older one')
  previous.close(CloseCode.REPLACED_BY_NEWER_SOCKET, 'a newer socket took over this agent')
}
