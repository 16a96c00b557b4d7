import type { Selectable } from 'kysely'
import { idChunks } from './id-chunks.js'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import type { AgentEventKind, AgentEventsTable } from './schema.js'

export type { AgentEventKind }

/** One stored event of an agent's connection (`agent_events`). */
export interface AgentEventRecord {
  /** Increasing: orders the events of one millisecond. */
  readonly id: number
  readonly taskRunId: string
  /** The wire id (onboarding agents carry their `onboarding_` prefix). */
  readonly agentId: string
  readonly at: number
  readonly kind: AgentEventKind
  readonly detail: Readonly<Record<string, unknown>>
}

/** What {@link AgentEventsRepository.record} writes; the time is the caller's (when it happened). */
export type NewAgentEvent = Omit<AgentEventRecord, 'id'>

function toRecord(row: Selectable<AgentEventsTable>): AgentEventRecord {
  return {
    id: row.id,
    taskRunId: row.task_run_id,
    agentId: row.agent_id,
    at: row.at,
    kind: row.kind,
    detail: decodeJson(row.detail) as Record<string, unknown>,
  }
}

/** The router's view of agents' connections: append-only, written in batches. */
export class AgentEventsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** Appends `events` (a batch collected by the caller) in as few statements as the limits allow. */
  async record(events: readonly NewAgentEvent[]): Promise<void> {
    // Six bound values a row: chunks of ID_CHUNK rows stay far below SQLite's limit.
    for (const chunk of idChunks(events)) {
      await this.#ctx.db
        .insertInto('agent_events')
        .values(
          chunk.map((event) => ({
            task_run_id: event.taskRunId,
            agent_id: event.agentId,
            at: Math.floor(event.at),
            kind: event.kind,
            detail: encodeJson(event.detail),
          })),
        )
        .execute()
    }
  }

  /** The events of one agent (its wire id), oldest first. */
  async list(agentId: string): Promise<AgentEventRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('agent_events')
      .selectAll()
      .where('agent_id', '=', agentId)
      .orderBy('id')
      .execute()
    return rows.map(toRecord)
  }

  /** A run's events, oldest first (the console's agents table reads each agent's last ones). */
  async listForRun(taskRunId: string): Promise<AgentEventRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('agent_events')
      .selectAll()
      .where('task_run_id', '=', taskRunId)
      .orderBy('id')
      .execute()
    return rows.map(toRecord)
  }
}
