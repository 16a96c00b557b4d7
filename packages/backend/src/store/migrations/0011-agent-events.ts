import { sql } from 'kysely'
import type { Kysely } from 'kysely'

// What the router saw of an agent's connection (docs/console.md): connects,
// disconnects, long heartbeat gaps and sampled round-trip times, for the
// console's timelines. `agent_id` is the wire id (onboarding agents carry
// their prefix), so it has no foreign key: either kind of agent may own a row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_events')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'agent_events_kind',
      sql`kind in ('connected', 'disconnected', 'heartbeat_gap', 'rtt')`,
    )
    .modifyEnd(sql`strict`)
    .execute()
  await db.schema
    .createIndex('agent_events_agent_id')
    .on('agent_events')
    .columns(['agent_id', 'id'])
    .execute()
  await db.schema
    .createIndex('agent_events_task_run_id')
    .on('agent_events')
    .columns(['task_run_id', 'id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_events').execute()
}
