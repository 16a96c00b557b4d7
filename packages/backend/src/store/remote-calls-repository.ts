import type { Kysely } from 'kysely'
import { agentRefColumns, type AgentRef } from './agent-ref.js'
import type { RepositoryContext } from './repository-context.js'
import type { Database } from './schema.js'
import { nowMs } from './repository-context.js'

/** A remote procedure call as stored. */
export interface RemoteCallRecord {
  /** The page's `request_id`. */
  readonly requestId: string
  readonly target: string
  /** The arguments as the page sent them (a JSON string). */
  readonly argsJson: string
  /** The answer as sent (a JSON string); null until answered, or if it failed. */
  readonly responseJson: string | null
  /** Why the call failed, as the page was told; null otherwise. */
  readonly errorMessage: string | null
  readonly requestedAt: number
  readonly answeredAt: number | null
}

/** A new call, stored when it arrives. */
export interface NewRemoteCall {
  readonly taskRunId: string
  readonly agent: AgentRef
  readonly requestId: string
  readonly target: string
  readonly argsJson: string
}

/** How a call ended: one of the two. */
export type RemoteCallAnswer =
  | { readonly responseJson: string; readonly errorMessage?: undefined }
  | { readonly errorMessage: string; readonly responseJson?: undefined }

const COLUMNS = [
  'request_id',
  'target',
  'args_json',
  'response_json',
  'error_message',
  'requested_at',
  'answered_at',
] as const

/** Agents per query, far below SQLite's limit on bound parameters. */
const AGENT_QUERY_CHUNK = 500

interface RemoteCallRow {
  readonly request_id: string
  readonly target: string
  readonly args_json: string
  readonly response_json: string | null
  readonly error_message: string | null
  readonly requested_at: number
  readonly answered_at: number | null
}

function toRecord(row: RemoteCallRow): RemoteCallRecord {
  return {
    requestId: row.request_id,
    target: row.target,
    argsJson: row.args_json,
    responseJson: row.response_json,
    errorMessage: row.error_message,
    requestedAt: row.requested_at,
    answeredAt: row.answered_at,
  }
}

/** The calls of these (regular) agents in arrival order, by agent id: for result exports. */
export async function listRemoteCalls(
  db: Kysely<Database>,
  agentIds: readonly string[],
): Promise<Map<string, RemoteCallRecord[]>> {
  const byAgent = new Map<string, RemoteCallRecord[]>()
  for (let start = 0; start < agentIds.length; start += AGENT_QUERY_CHUNK) {
    const rows = await db
      .selectFrom('remote_procedure_calls')
      .select([...COLUMNS, 'agent_id'])
      .where('agent_id', 'in', agentIds.slice(start, start + AGENT_QUERY_CHUNK))
      .orderBy('id')
      .execute()
    for (const row of rows) {
      if (row.agent_id === null) continue
      const calls = byAgent.get(row.agent_id) ?? []
      calls.push(toRecord(row))
      byAgent.set(row.agent_id, calls)
    }
  }
  return byAgent
}

/** Remote procedure calls of either kind of agent, with their answers. */
export class RemoteCallsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** Stores an arriving call; returns its row id (for {@link answer}). */
  async add(call: NewRemoteCall): Promise<number> {
    const row = await this.#ctx.db
      .insertInto('remote_procedure_calls')
      .values({
        task_run_id: call.taskRunId,
        ...agentRefColumns(call.agent),
        request_id: call.requestId,
        target: call.target,
        args_json: call.argsJson,
        response_json: null,
        error_message: null,
        requested_at: nowMs(this.#ctx.clock),
        answered_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  /** Records the answer of call `id`. */
  async answer(id: number, answer: RemoteCallAnswer): Promise<void> {
    await this.#ctx.db
      .updateTable('remote_procedure_calls')
      .set({
        response_json: answer.responseJson ?? null,
        error_message: answer.errorMessage ?? null,
        answered_at: nowMs(this.#ctx.clock),
      })
      .where('id', '=', id)
      .execute()
  }

  /** The agent's calls in arrival order. */
  async listForAgent(agent: AgentRef): Promise<RemoteCallRecord[]> {
    const column = agent.kind === 'agent' ? 'agent_id' : 'onboarding_agent_id'
    const rows = await this.#ctx.db
      .selectFrom('remote_procedure_calls')
      .select(COLUMNS)
      .where(column, '=', agent.id)
      .orderBy('id')
      .execute()
    return rows.map(toRecord)
  }
}
