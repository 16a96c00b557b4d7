import { sql } from 'kysely'
import type { Kysely } from 'kysely'

// One row per remote procedure call, written when it arrives and completed
// when it is answered: a reload replays them (`previous_requests`) and the
// requester sees what the page asked and what it was told.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('remote_procedure_calls')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
    .addColumn('onboarding_agent_id', 'text', (c) => c.references('onboarding_agents.id'))
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('args_json', 'text', (c) => c.notNull())
    .addColumn('response_json', 'text')
    .addColumn('error_message', 'text')
    .addColumn('requested_at', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'integer')
    .addCheckConstraint(
      'remote_procedure_calls_agent',
      sql`(agent_id is null) <> (onboarding_agent_id is null)`,
    )
    .modifyEnd(sql`strict`)
    .execute()
  await db.schema
    .createIndex('remote_procedure_calls_agent_id')
    .on('remote_procedure_calls')
    .column('agent_id')
    .execute()
  await db.schema
    .createIndex('remote_procedure_calls_onboarding_agent_id')
    .on('remote_procedure_calls')
    .column('onboarding_agent_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('remote_procedure_calls').execute()
}
