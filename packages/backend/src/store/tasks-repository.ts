import { err, ok } from '@faust/protocol'
import type { Result } from '@faust/protocol'
import type { Selectable } from 'kysely'
import type { RepositoryContext } from './repository-context.js'
import { nowMs } from './repository-context.js'
import type { TasksTable } from './schema.js'
import { StoreError } from '../util/backend-error.js'

/** A task: the name that groups runs (and `maximum_units_per_worker` counts). */
export interface TaskRecord {
  readonly id: string
  readonly name: string
  readonly taskType: string
  readonly createdAt: number
}

/** What a task is created from. */
export interface TaskIdentity {
  readonly name: string
  /** The blueprint type, e.g. `static_react_task`. */
  readonly taskType: string
}

/** The task name exists with another task type; mixing them would mix incompatible results. */
export interface TaskTypeMismatch {
  readonly code: 'TASK_TYPE_MISMATCH'
  readonly existing: TaskRecord
}

function toTaskRecord(row: Selectable<TasksTable>): TaskRecord {
  return { id: row.id, name: row.name, taskType: row.task_type, createdAt: row.created_at }
}

/** Tasks, unique by name. */
export class TasksRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /** The task with this name, created if missing; refused if it exists with another type. */
  async ensure(identity: TaskIdentity): Promise<Result<TaskRecord, TaskTypeMismatch>> {
    const { db, clock, generateId } = this.#ctx
    await db
      .insertInto('tasks')
      .values({
        id: generateId(),
        name: identity.name,
        task_type: identity.taskType,
        created_at: nowMs(clock),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute()
    const task = await this.find(identity.name)
    if (task === null)
      throw new StoreError('STORE_INCONSISTENT', 'task vanished right after its upsert')
    if (task.taskType !== identity.taskType) {
      return err({ code: 'TASK_TYPE_MISMATCH', existing: task })
    }
    return ok(task)
  }

  /** The task with this name, or `null`. */
  async find(name: string): Promise<TaskRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('tasks')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst()
    return row === undefined ? null : toTaskRecord(row)
  }

  /** The task with this id, or `null`. */
  async get(id: string): Promise<TaskRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : toTaskRecord(row)
  }

  /** Every task, oldest first. */
  async list(): Promise<TaskRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('tasks')
      .selectAll()
      .orderBy('created_at')
      .orderBy('name')
      .execute()
    return rows.map(toTaskRecord)
  }
}
