import { agentRefColumns, type AgentRef } from './agent-ref.js'
import type { RepositoryContext } from './repository-context.js'
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
    return rows.map((row) => ({
      requestId: row.request_id,
      target: row.target,
      argsJson: row.args_json,
      responseJson: row.response_json,
      errorMessage: row.error_message,
      requestedAt: row.requested_at,
      answeredAt: row.answered_at,
    }))
  }
}
