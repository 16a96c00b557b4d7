import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { nowMs } from './repository-context.js'

/** Which way a live update went. */
export type LiveUpdateDirection = 'to_agent' | 'from_agent'

/** One stored live update. */
export interface LiveUpdateRecord {
  readonly agentId: string
  readonly direction: LiveUpdateDirection
  readonly data: Readonly<Record<string, unknown>>
  readonly at: number
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
    const rows = await this.#ctx.db
      .selectFrom('live_updates')
      .select(['agent_id', 'direction', 'data', 'at'])
      .where('agent_id', '=', agentId)
      .orderBy('id')
      .execute()
    return rows.map((row) => ({
      agentId: row.agent_id,
      direction: row.direction,
      data: decodeJson(row.data) as Record<string, unknown>,
      at: row.at,
    }))
  }
}
