import type { Kysely, Selectable } from 'kysely'
import { sql } from 'kysely'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { nowMs } from './repository-context.js'
import type { Database, LiveUpdatesTable } from './schema.js'

/** Agents per query, far below SQLite's limit on bound parameters. */
const AGENT_CHUNK = 500

/** Which way a live update went. */
export type LiveUpdateDirection = 'to_agent' | 'from_agent'

/** One stored live update. */
export interface LiveUpdateRecord {
  readonly agentId: string
  readonly direction: LiveUpdateDirection
  readonly data: Readonly<Record<string, unknown>>
  readonly at: number
}

function toRecord(row: Selectable<LiveUpdatesTable>): LiveUpdateRecord {
  return {
    agentId: row.agent_id,
    direction: row.direction,
    data: decodeJson(row.data) as Record<string, unknown>,
    at: row.at,
  }
}

/** The live updates of several agents (for results), by agent, each oldest first. */
export async function listLiveUpdates(
  db: Kysely<Database>,
  agentIds: readonly string[],
): Promise<Map<string, LiveUpdateRecord[]>> {
  const byAgent = new Map<string, LiveUpdateRecord[]>()
  for (let start = 0; start < agentIds.length; start += AGENT_CHUNK) {
    const rows = await db
      .selectFrom('live_updates')
      .selectAll()
      .where('agent_id', 'in', agentIds.slice(start, start + AGENT_CHUNK))
      .orderBy(sql`id`)
      .execute()
    for (const row of rows) {
      const updates = byAgent.get(row.agent_id) ?? []
      updates.push(toRecord(row))
      byAgent.set(row.agent_id, updates)
    }
  }
  return byAgent
}

/** Live updates of concurrent tasks, per agent, in the order they were stored. */
export class LiveUpdatesRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** Appends one update of `agentId`. */
  async add(input: {
    readonly agentId: string
    readonly direction: LiveUpdateDirection
    readonly data: Readonly<Record<string, unknown>>
  }): Promise<void> {
    const updateId = input.data['update_id']
    await this.#ctx.db
      .insertInto('live_updates')
      .values({
        agent_id: input.agentId,
        direction: input.direction,
        update_id: typeof updateId === 'string' ? updateId : null,
        data: encodeJson(input.data),
        at: nowMs(this.#ctx.clock),
      })
      .execute()
  }

  /** Every update of `agentId`, oldest first. */
  async list(agentId: string): Promise<LiveUpdateRecord[]> {
    return (await listLiveUpdates(this.#ctx.db, [agentId])).get(agentId) ?? []
  }
}
