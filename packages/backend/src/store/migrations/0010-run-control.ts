import { sql } from 'kysely'
import type { Kysely } from 'kysely'

// Live run changes (docs/console.md, "Changing a live run"):
// - `run_settings`: a run's limits and whether it launches, once changed
//   (a run without a row runs with its task's values); `version` grows with
//   every change, so a reader can tell a newer row from the one it holds.
//   `added_items` counts the items added to the run after it was created: a
//   resumed run compares only the others with the task's data.
// - `run_commands`: changes asked by another process, applied by the live
//   run that polls them, marked with their result (or `cancelled` by an
//   asker that stopped waiting, so that it is never applied late).
// - `run_leases`: the live run's heartbeat; fresh means a process serves
//   the run and a change must go through it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('run_settings')
    .addColumn('task_run_id', 'text', (c) => c.primaryKey().references('task_runs.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('max_concurrent_units', 'integer', (c) => c.notNull())
    .addColumn('maximum_units_per_worker', 'integer', (c) => c.notNull())
    .addColumn('allowed_concurrent', 'integer', (c) => c.notNull())
    .addColumn('assignment_duration_seconds', 'integer', (c) => c.notNull())
    .addColumn('launching', 'text', (c) => c.notNull())
    .addColumn('added_items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addCheckConstraint('run_settings_launching', sql`launching in ('open', 'paused')`)
    .modifyEnd(sql`strict`)
    .execute()
  await db.schema
    .createTable('run_commands')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .addColumn('done_at', 'integer')
    .addCheckConstraint(
      'run_commands_status',
      sql`status in ('pending', 'applied', 'failed', 'cancelled')`,
    )
    .modifyEnd(sql`strict`)
    .execute()
  await db.schema
    .createIndex('run_commands_pending')
    .on('run_commands')
    .columns(['task_run_id', 'status', 'id'])
    .execute()
  await db.schema
    .createTable('run_leases')
    .addColumn('task_run_id', 'text', (c) => c.primaryKey().references('task_runs.id'))
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('refreshed_at', 'integer', (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('run_leases').execute()
  await db.schema.dropTable('run_commands').execute()
  await db.schema.dropTable('run_settings').execute()
}
