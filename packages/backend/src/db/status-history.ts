import type { AgentStatus } from '@faust/protocol'
import type { Kysely } from 'kysely'
import { agentRefColumns } from './agent-ref.js'
import type { AgentRef } from './agent-ref.js'
import type { Database } from './schema.js'

/** One entry of an agent's status history. */
export interface StatusChange {
  readonly status: AgentStatus
  readonly at: number
}

/** Appends `status` to the history of `ref`. */
export async function recordStatus(
  db: Kysely<Database>,
  ref: AgentRef,
  change: StatusChange,
): Promise<void> {
  await db
    .insertInto('agent_status_history')
    .values({ ...agentRefColumns(ref), status: change.status, at: change.at })
    .execute()
}

/** The statuses `ref` took, oldest first (the row id breaks ties within a millisecond). */
export async function readStatusHistory(
  db: Kysely<Database>,
  ref: AgentRef,
): Promise<StatusChange[]> {
  const column = ref.kind === 'agent' ? 'agent_id' : 'onboarding_agent_id'
  return db
    .selectFrom('agent_status_history')
    .select(['status', 'at'])
    .where(column, '=', ref.id)
    .orderBy('id')
    .execute()
}
