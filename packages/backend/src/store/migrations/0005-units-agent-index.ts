import type { Kysely } from 'kysely'

// `units.agent_id` references `agents` with a deferred foreign key, and a
// reservation points the unit at its agent before inserting the agent. To
// settle that pending reference, SQLite looks for the units naming the new
// agent: without an index on `agent_id` a scan of every unit, on every
// registration (half of a registration's database time with a few thousand
// units).
//
// Launchable units are now read in rowid order, which the (task_run_id,
// status) index already gives; 0002's index ordered by creation time only
// cost a write on every unit's change of status.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('units_agent_id').on('units').column('agent_id').execute()
  await db.schema.dropIndex('units_task_run_status_created').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('units_task_run_status_created')
    .on('units')
    .columns(['task_run_id', 'status', 'created_at'])
    .execute()
  await db.schema.dropIndex('units_agent_id').execute()
}
