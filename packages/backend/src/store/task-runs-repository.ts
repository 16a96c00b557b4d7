import { err, ok } from '@faust/protocol'
import type { Result } from '@faust/protocol'
import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import { AssignmentsRepository } from './assignments-repository.js'
import type { AssignmentWithUnits, NewAssignment } from './assignments-repository.js'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { inTransaction, nowMs } from './repository-context.js'
import type { TaskRunsTable } from './schema.js'
import { TasksRepository } from './tasks-repository.js'
import type { TaskIdentity, TaskRecord, TaskTypeMismatch } from './tasks-repository.js'

/** One launch of a task. */
export interface TaskRunRecord {
  readonly id: string
  readonly taskId: string
  readonly providerType: string
  /** The run's configuration as given at creation (task, blueprint and provider arguments). */
  readonly config: unknown
  readonly createdAt: number
  /** When the run ended, or `null` while it is live. */
  readonly endedAt: number | null
}

/** What {@link TaskRunsRepository.create} needs. */
export interface NewTaskRun {
  readonly task: TaskIdentity
  readonly providerType: string
  readonly config: unknown
  /** Assignments to create with the run, their units in `created`. */
  readonly assignments?: readonly NewAssignment[] | undefined
}

/** A freshly created run with its task and assignments. */
export interface CreatedTaskRun {
  readonly task: TaskRecord
  readonly run: TaskRunRecord
  readonly assignments: readonly AssignmentWithUnits[]
}

function toTaskRunRecord(row: Selectable<TaskRunsTable>): TaskRunRecord {
  return {
    id: row.id,
    taskId: row.task_id,
    providerType: row.provider_type,
    config: decodeJson(row.config),
    createdAt: row.created_at,
    endedAt: row.ended_at,
  }
}

/** Task runs. */
export class TaskRunsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /**
   * Creates (or reuses) the task, a run of it and its assignments and units,
   * in one transaction. Refused if the task name exists with another type.
   */
  async create(input: NewTaskRun): Promise<Result<CreatedTaskRun, TaskTypeMismatch>> {
    return inTransaction(this.#ctx.db, async (trx) => {
      const ctx = { ...this.#ctx, db: trx }
      const task = await new TasksRepository(ctx).ensure(input.task)
      if (!task.ok) return err(task.error)
      const row: Selectable<TaskRunsTable> = {
        id: ctx.generateId(),
        task_id: task.value.id,
        provider_type: input.providerType,
        config: encodeJson(input.config),
        created_at: nowMs(ctx.clock),
        ended_at: null,
      }
      await trx.insertInto('task_runs').values(row).execute()
      const assignments = await new AssignmentsRepository(ctx).create(
        row.id,
        input.assignments ?? [],
      )
      return ok({ task: task.value, run: toTaskRunRecord(row), assignments })
    })
  }

  /** The run with this id, or `null`. */
  async get(id: string): Promise<TaskRunRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('task_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toTaskRunRecord(row)
  }

  /** Runs in creation order; `taskId` narrows to one task's runs. */
  async list(taskId?: string): Promise<TaskRunRecord[]> {
    let query = this.#ctx.db.selectFrom('task_runs').selectAll()
    if (taskId !== undefined) query = query.where('task_id', '=', taskId)
    const rows = await query
      .orderBy('created_at')
      .orderBy(sql`task_runs.rowid`)
      .execute()
    return rows.map(toTaskRunRecord)
  }

  /**
   * The newest run of the task named `taskName` that has not ended (a run
   * whose process died is one), or `null`: what `faust run` resumes.
   */
  async findUnfinished(taskName: string): Promise<TaskRunRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('task_runs')
      .innerJoin('tasks', 'tasks.id', 'task_runs.task_id')
      .selectAll('task_runs')
      .where('tasks.name', '=', taskName)
      .where('task_runs.ended_at', 'is', null)
      .orderBy('task_runs.created_at', 'desc')
      .orderBy(sql`task_runs.rowid`, 'desc')
      .limit(1)
      .executeTakeFirst()
    return row === undefined ? null : toTaskRunRecord(row)
  }

  /** Every run in creation order, with its task's name (`faust runs`). */
  async listWithTaskNames(): Promise<(TaskRunRecord & { readonly taskName: string })[]> {
    const rows = await this.#ctx.db
      .selectFrom('task_runs')
      .innerJoin('tasks', 'tasks.id', 'task_runs.task_id')
      .selectAll('task_runs')
      .select('tasks.name as task_name')
      .orderBy('task_runs.created_at')
      .orderBy(sql`task_runs.rowid`)
      .execute()
    return rows.map((row) => ({ ...toTaskRunRecord(row), taskName: row.task_name }))
  }

  /** Records that the run ended (once; a second call keeps the first time). Returns whether it changed. */
  async end(id: string): Promise<boolean> {
    const result = await this.#ctx.db
      .updateTable('task_runs')
      .set({ ended_at: nowMs(this.#ctx.clock) })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows === 1n
  }
}
