import { sql } from 'kysely'
import type { Kysely } from 'kysely'

// What a run on a real crowd platform (Prolific, MTurk) must keep across a
// crash (docs/providers.md): the listing it published (so a resumed run never
// publishes twice), each worker's attempt on the platform linked to its
// agent, every call that moves money or standing (written 'pending' before
// the call, so a retry reuses its key), what reconciliation found, and the
// task's completion code (known before the site is prepared).
const strict = sql`strict`

// eslint-disable-next-line max-lines-per-function -- five tables of one feature, read top to bottom; a migration never changes once shipped
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('provider_listings')
    .addColumn('task_run_id', 'text', (c) => c.primaryKey().references('task_runs.id'))
    .addColumn('provider_type', 'text', (c) => c.notNull())
    .addColumn('sandbox', 'integer', (c) => c.notNull())
    .addColumn('listing_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('completion_code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addCheckConstraint('provider_listings_state', sql`state in ('publishing', 'open', 'closed')`)
    .modifyEnd(strict)
    .execute()

  await db.schema
    .createTable('provider_attempts')
    .addColumn('provider_type', 'text', (c) => c.notNull())
    .addColumn('attempt_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.unique().references('agents.id'))
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('provider_worker_id', 'text', (c) => c.notNull())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('provider_status', 'text')
    .addColumn('checked_at', 'integer')
    .addPrimaryKeyConstraint('provider_attempts_pk', ['provider_type', 'attempt_id'])
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('provider_attempts_task_run_id')
    .on('provider_attempts')
    .column('task_run_id')
    .execute()

  await db.schema
    .createTable('provider_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_key', 'text', (c) => c.notNull().unique())
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer')
    .addColumn('reason', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addCheckConstraint(
      'provider_actions_kind',
      sql`kind in ('approve', 'reject', 'soft_reject', 'bonus', 'block', 'unblock', 'qualify')`,
    )
    .addCheckConstraint('provider_actions_state', sql`state in ('pending', 'done', 'failed')`)
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('provider_actions_agent_id')
    .on('provider_actions')
    .column('agent_id')
    .execute()

  await db.schema
    .createTable('reconcile_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('attempt_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('applied', 'integer', (c) => c.notNull())
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('reconcile_events_task_run_id')
    .on('reconcile_events')
    .columns(['task_run_id', 'at'])
    .execute()

  await db.schema
    .createTable('completion_codes')
    .addColumn('task_name', 'text', (c) => c.notNull())
    .addColumn('provider_type', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('completion_codes_pk', ['task_name', 'provider_type'])
    .modifyEnd(strict)
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'completion_codes',
    'reconcile_events',
    'provider_actions',
    'provider_attempts',
    'provider_listings',
  ])
    await db.schema.dropTable(table).execute()
}
