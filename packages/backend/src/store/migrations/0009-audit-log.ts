import { sql } from 'kysely'
import type { Kysely } from 'kysely'

// What an operator did, from the console or the command line (docs/console.md):
// every review action, block, qualification and live change to a run, with
// who asked, what it targeted and how it ended. Append-only; `id` orders it,
// so a pushed feed resumes after the last id it sent.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('task_name', 'text')
    .addColumn('task_run_id', 'text', (c) => c.references('task_runs.id'))
    .addColumn('target', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addCheckConstraint('audit_log_outcome', sql`outcome in ('done', 'already_done', 'failed')`)
    .modifyEnd(sql`strict`)
    .execute()
  await db.schema
    .createIndex('audit_log_task_run_id')
    .on('audit_log')
    .columns(['task_run_id', 'id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_log').execute()
}
