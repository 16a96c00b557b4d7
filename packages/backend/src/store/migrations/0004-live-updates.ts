import { sql, type Kysely } from 'kysely'

// Live updates of concurrent (live) tasks, both ways: what the page sent
// (`from_agent`) and what the task observed to it (`to_agent`). A reloaded
// page gets them back as `init_task_data.past_live_updates` (docs/protocol.md §7.3), so the
// chat resumes where it was.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('live_updates')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('update_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addCheckConstraint('live_updates_direction', sql`direction in ('to_agent', 'from_agent')`)
    .modifyEnd(sql`strict`)
    .execute()
  await db.schema
    .createIndex('live_updates_agent_id')
    .on('live_updates')
    .columns(['agent_id', 'id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('live_updates').execute()
}
