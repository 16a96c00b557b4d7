import { agentRefColumns } from './agent-ref.js'
import type { AgentRef } from './agent-ref.js'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { nowMs } from './repository-context.js'

/** One stored metadata or error-log entry. */
export interface LogEntry {
  /** The agent it came from, or `null` for an error with no agent. */
  readonly agent: AgentRef | null
  readonly data: unknown
  readonly at: number
}

interface LogRow {
  agent_id: string | null
  onboarding_agent_id: string | null
  data: string
  at: number
}

function toLogEntry(row: LogRow): LogEntry {
  let agent: AgentRef | null = null
  if (row.agent_id !== null) agent = { kind: 'agent', id: row.agent_id }
  else if (row.onboarding_agent_id !== null) {
    agent = { kind: 'onboarding', id: row.onboarding_agent_id }
  }
  return { agent, data: decodeJson(row.data), at: row.at }
}

/** Append-only logs: `submit_metadata` payloads and `log_error` reports. */
export class LogsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** Stores a `submit_metadata` payload from an agent of either kind. */
  async addMetadata(agent: AgentRef, data: unknown): Promise<void> {
    await this.#ctx.db
      .insertInto('metadata')
      .values({ ...agentRefColumns(agent), data: encodeJson(data), at: nowMs(this.#ctx.clock) })
      .execute()
  }

  /** The agent's metadata entries, oldest first. */
  async listMetadata(agent: AgentRef): Promise<LogEntry[]> {
    const column = agent.kind === 'agent' ? 'agent_id' : 'onboarding_agent_id'
    const rows = await this.#ctx.db
      .selectFrom('metadata')
      .select(['agent_id', 'onboarding_agent_id', 'data', 'at'])
      .where(column, '=', agent.id)
      .orderBy('id')
      .execute()
    return rows.map(toLogEntry)
  }

  /** Stores an error report, from an agent or (with `null`) from no agent. */
  async addErrorLog(agent: AgentRef | null, data: unknown): Promise<void> {
    const columns =
      agent === null ? { agent_id: null, onboarding_agent_id: null } : agentRefColumns(agent)
    await this.#ctx.db
      .insertInto('error_logs')
      .values({ ...columns, data: encodeJson(data), at: nowMs(this.#ctx.clock) })
      .execute()
  }

  /** Error reports oldest first: all of them, or only those of `agent`. */
  async listErrorLogs(agent?: AgentRef): Promise<LogEntry[]> {
    let query = this.#ctx.db
      .selectFrom('error_logs')
      .select(['agent_id', 'onboarding_agent_id', 'data', 'at'])
    if (agent !== undefined) {
      const column = agent.kind === 'agent' ? 'agent_id' : 'onboarding_agent_id'
      query = query.where(column, '=', agent.id)
    }
    const rows = await query.orderBy('id').execute()
    return rows.map(toLogEntry)
  }
}
