import type { AgentStatus } from '@faust/protocol'
import { sql } from 'kysely'
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
  // SQL rather than the builder: every status change writes one.
  const columns = agentRefColumns(ref)
  await sql`
    insert into agent_status_history (agent_id, onboarding_agent_id, status, at)
    values (${columns.agent_id}, ${columns.onboarding_agent_id}, ${change.status}, ${change.at})`.execute(
    db,
  )
}

/** Appends several statuses taken at once (a reservation's start statuses), in one statement. */
export async function recordStatuses(
  db: Kysely<Database>,
  ref: AgentRef,
  change: { readonly statuses: readonly AgentStatus[]; readonly at: number },
): Promise<void> {
  if (change.statuses.length === 0) return
  const columns = agentRefColumns(ref)
  const rows = change.statuses.map(
    (status) => sql`(${columns.agent_id}, ${columns.onboarding_agent_id}, ${status}, ${change.at})`,
  )
  await sql`
    insert into agent_status_history (agent_id, onboarding_agent_id, status, at)
    values ${sql.join(rows)}`.execute(db)
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
