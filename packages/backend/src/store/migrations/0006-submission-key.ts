import type { Kysely } from 'kysely'

// The client's idempotency key (`Idempotency-Key`, passed on by the router as
// `faust_ack.submission_id`, docs/protocol.md §14): a retry of a submission
// already stored is recognised by it and confirmed without storing it again.
// Null for submissions without one (Mephisto's router, older rows).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('submission_key', 'text').execute()
  await db.schema
    .createIndex('submissions_submission_key')
    .on('submissions')
    .column('submission_key')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('submissions_submission_key').execute()
  await db.schema.alterTable('submissions').dropColumn('submission_key').execute()
}
