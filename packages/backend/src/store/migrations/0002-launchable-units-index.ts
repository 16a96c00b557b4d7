import type { Kysely } from 'kysely'

// Registration asks for a run's first few launchable units in creation
// order; this index answers that without sorting every launchable unit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('units_task_run_status_created')
    .on('units')
    .columns(['task_run_id', 'status', 'created_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('units_task_run_status_created').execute()
}
