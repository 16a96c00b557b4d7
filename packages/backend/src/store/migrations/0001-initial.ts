import { sql } from 'kysely'
import type { Kysely, RawBuilder } from 'kysely'

// A migration is frozen once released: the status lists are written out here
// rather than imported, so a later change to the constants cannot silently
// change what this migration creates (a test checks they still agree).
const UNIT_STATUSES = [
  'created',
  'launched',
  'assigned',
  'completed',
  'accepted',
  'mixed',
  'rejected',
  'soft_rejected',
  'expired',
]
const AGENT_STATUSES = [
  'none',
  'accepted',
  'onboarding',
  'waiting',
  'in task',
  'completed',
  'disconnect',
  'timeout',
  'partner disconnect',
  'expired',
  'returned',
  'approved',
  'soft_rejected',
  'rejected',
]

function statusIn(values: readonly string[]): RawBuilder<unknown> {
  return sql`status in (${sql.join(values.map((value) => sql.lit(value)))})`
}

// STRICT tables make SQLite enforce the declared column types, so a float
// timestamp or a string pay is an error instead of silently stored.
const strict = sql`strict`

/** Creates every table of the initial Faust schema. */
// eslint-disable-next-line max-lines-per-function -- one released schema, read top to bottom; a migration never changes once shipped
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('task_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .modifyEnd(strict)
    .execute()

  await db.schema
    .createTable('task_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
    .addColumn('provider_type', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .modifyEnd(strict)
    .execute()
  await db.schema.createIndex('task_runs_task_id').on('task_runs').column('task_id').execute()

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('shared_data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('assignments_task_run_id')
    .on('assignments')
    .column('task_run_id')
    .execute()

  await db.schema
    .createTable('workers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_type', 'text', (c) => c.notNull())
    .addColumn('worker_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('workers_provider_name', ['provider_type', 'worker_name'])
    .modifyEnd(strict)
    .execute()

  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id'))
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('unit_index', 'integer', (c) => c.notNull())
    .addColumn('unit_data', 'text', (c) => c.notNull())
    .addColumn('pay', 'real', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('worker_id', 'text', (c) => c.references('workers.id'))
    .addColumn('agent_id', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('units_assignment_index', ['assignment_id', 'unit_index'])
    // Deferred because a unit and the agent holding it reference each other:
    // the reservation points the unit at the agent before inserting it.
    .addForeignKeyConstraint('units_agent_id_fk', ['agent_id'], 'agents', ['id'], (c) =>
      c.deferrable().initiallyDeferred(),
    )
    .addCheckConstraint('units_status', statusIn(UNIT_STATUSES))
    .addCheckConstraint('units_pay', sql`pay >= 0`)
    .addCheckConstraint(
      'units_unheld_when_open',
      sql`status not in ('created', 'launched') or (worker_id is null and agent_id is null)`,
    )
    .addCheckConstraint(
      'units_held_when_assigned',
      sql`status <> 'assigned' or (worker_id is not null and agent_id is not null)`,
    )
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('units_task_run_status')
    .on('units')
    .columns(['task_run_id', 'status'])
    .execute()
  await db.schema.createIndex('units_assignment_id').on('units').column('assignment_id').execute()
  await db.schema.createIndex('units_worker_id').on('units').column('worker_id').execute()

  await db.schema
    .createTable('agents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('worker_id', 'text', (c) => c.notNull().references('workers.id'))
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('registration_id', 'text')
    .addColumn('init_data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addCheckConstraint('agents_status', statusIn(AGENT_STATUSES))
    .modifyEnd(strict)
    .execute()
  await db.schema.createIndex('agents_unit_id').on('agents').column('unit_id').execute()
  await db.schema.createIndex('agents_worker_id').on('agents').column('worker_id').execute()
  await db.schema
    .createIndex('agents_task_run_status')
    .on('agents')
    .columns(['task_run_id', 'status'])
    .execute()
  await db.schema
    .createIndex('agents_registration')
    .on('agents')
    .columns(['task_run_id', 'registration_id'])
    .execute()

  await db.schema
    .createTable('onboarding_agents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('worker_id', 'text', (c) => c.notNull().references('workers.id'))
    .addColumn('task_run_id', 'text', (c) => c.notNull().references('task_runs.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('registration_id', 'text')
    .addColumn('init_data', 'text', (c) => c.notNull())
    .addColumn('outputs', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addCheckConstraint('onboarding_agents_status', statusIn(AGENT_STATUSES))
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('onboarding_agents_worker_run')
    .on('onboarding_agents')
    .columns(['worker_id', 'task_run_id'])
    .execute()
  await db.schema
    .createIndex('onboarding_agents_registration')
    .on('onboarding_agents')
    .columns(['task_run_id', 'registration_id'])
    .execute()

  await db.schema
    .createTable('agent_status_history')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
    .addColumn('onboarding_agent_id', 'text', (c) => c.references('onboarding_agents.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addCheckConstraint('agent_status_history_status', statusIn(AGENT_STATUSES))
    .addCheckConstraint(
      'agent_status_history_one_agent',
      sql`(agent_id is null) <> (onboarding_agent_id is null)`,
    )
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('agent_status_history_agent')
    .on('agent_status_history')
    .columns(['agent_id', 'id'])
    .execute()
  await db.schema
    .createIndex('agent_status_history_onboarding_agent')
    .on('agent_status_history')
    .columns(['onboarding_agent_id', 'id'])
    .execute()

  await db.schema
    .createTable('qualifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .modifyEnd(strict)
    .execute()

  await db.schema
    .createTable('granted_qualifications')
    .addColumn('qualification_id', 'text', (c) => c.notNull().references('qualifications.id'))
    .addColumn('worker_id', 'text', (c) => c.notNull().references('workers.id'))
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('granted_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('granted_qualifications_pk', ['qualification_id', 'worker_id'])
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('granted_qualifications_worker_id')
    .on('granted_qualifications')
    .column('worker_id')
    .execute()

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull().unique().references('agents.id'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'integer', (c) => c.notNull())
    .modifyEnd(strict)
    .execute()

  await db.schema
    .createTable('submission_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id'))
    .addColumn('field_name', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('stored_path', 'text', (c) => c.notNull())
    .addColumn('mimetype', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addCheckConstraint('submission_files_size', sql`size_bytes >= 0`)
    .modifyEnd(strict)
    .execute()
  await db.schema
    .createIndex('submission_files_submission_id')
    .on('submission_files')
    .column('submission_id')
    .execute()

  // Metadata always belongs to an agent; an error may come from no agent at all.
  const agentLogTables = [
    { table: 'metadata', check: sql`(agent_id is null) <> (onboarding_agent_id is null)` },
    { table: 'error_logs', check: sql`agent_id is null or onboarding_agent_id is null` },
  ]
  for (const { table, check } of agentLogTables) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
      .addColumn('onboarding_agent_id', 'text', (c) => c.references('onboarding_agents.id'))
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('at', 'integer', (c) => c.notNull())
      .addCheckConstraint(`${table}_agent`, check)
      .modifyEnd(strict)
      .execute()
    await db.schema.createIndex(`${table}_agent_id`).on(table).column('agent_id').execute()
    await db.schema
      .createIndex(`${table}_onboarding_agent_id`)
      .on(table)
      .column('onboarding_agent_id')
      .execute()
  }
}

/** Drops every table of the initial schema, children before parents. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'error_logs',
    'metadata',
    'submission_files',
    'submissions',
    'granted_qualifications',
    'qualifications',
    'agent_status_history',
    'onboarding_agents',
    'agents',
    'units',
    'workers',
    'assignments',
    'task_runs',
    'tasks',
  ]
  // Empty every table before dropping any: deleting agents leaves a deferred
  // violation in units that deleting units then resolves, which it cannot do
  // once the agents table is gone.
  for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(db)
  for (const table of tables) await db.schema.dropTable(table).execute()
}
