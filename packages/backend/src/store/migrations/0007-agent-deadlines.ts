import type { Kysely } from 'kysely'

// When an agent's unit is taken from it if it has not handed in (the static
// runner's submit deadline), in epoch milliseconds; NULL for agents without
// one (live agents, and agents created before this migration). Kept in the
// row so that a run resumed after a crash re-arms each deadline for the time
// that is left instead of releasing every unit, or keeping them forever.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('deadline_at', 'integer').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agents').dropColumn('deadline_at').execute()
}
