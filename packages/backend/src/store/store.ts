import { join } from 'node:path'
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { AgentEventsRepository } from './agent-events-repository.js'
import type { AgentsRepository } from './agents-repository.js'
import type { BackgroundCheckpointer } from './background-checkpointer.js'
import type { AssignmentsRepository } from './assignments-repository.js'
import type { LiveUpdatesRepository } from './live-updates-repository.js'
import type { LogsRepository } from './logs-repository.js'
import type { OnboardingAgentsRepository } from './onboarding-agents-repository.js'
import type { ProviderRecordsRepository } from './provider-records-repository.js'
import type { AuditRepository } from './audit-repository.js'
import type { QualificationsRepository } from './qualifications-repository.js'
import { createRepositories } from './repositories.js'
import type { Repositories } from './repositories.js'
import type { RemoteCallsRepository } from './remote-calls-repository.js'
import type { RepositoryContext } from './repository-context.js'
import type { ResultsRepository } from './results-repository.js'
import type { Database } from './schema.js'
import type { SubmissionsRepository } from './submissions-repository.js'
import type { TaskRunsRepository } from './task-runs-repository.js'
import type { TasksRepository } from './tasks-repository.js'
import { TransactionBatcher } from './transaction-batcher.js'
import type { UnitsRepository } from './units-repository.js'
import type { WorkersRepository } from './workers-repository.js'
import { StoreValueError } from '../util/backend-error.js'

/** The structural subset of a better-sqlite3 handle the store uses directly. */
export interface ClosableDatabase {
  close(): unknown
}

/** Everything a {@link Store} is assembled from by {@link openDatabase}. */
export interface StoreParts extends RepositoryContext {
  readonly sqlite: ClosableDatabase
  /** Checkpoints the WAL off the event loop; null for an in-memory store. */
  readonly checkpointer: BackgroundCheckpointer | null
  readonly dataDir: string
  readonly databasePath: string
  readonly migrationsApplied: readonly string[]
}

// Ids become folder names; refuse anything that could climb out of the folder.
const SAFE_ID = /^[\w-]+$/

/** An open Faust database: the repositories, the data folder, and a lifecycle. */
export class Store implements Repositories, AsyncDisposable, Disposable {
  /** The Kysely instance, for queries no repository covers. */
  readonly db: Kysely<Database>
  /** The folder that holds the database and every run's files. */
  readonly dataDir: string
  /** The SQLite file (`:memory:` for an in-memory store). */
  readonly databasePath: string
  /** The migrations this open applied; empty when the database was current. */
  readonly migrationsApplied: readonly string[]
  readonly tasks: TasksRepository
  readonly taskRuns: TaskRunsRepository
  readonly assignments: AssignmentsRepository
  readonly units: UnitsRepository
  readonly workers: WorkersRepository
  readonly agents: AgentsRepository
  readonly onboardingAgents: OnboardingAgentsRepository
  readonly qualifications: QualificationsRepository
  readonly submissions: SubmissionsRepository
  readonly logs: LogsRepository
  readonly liveUpdates: LiveUpdatesRepository
  readonly results: ResultsRepository
  readonly remoteCalls: RemoteCallsRepository
  readonly providerRecords: ProviderRecordsRepository
  readonly audit: AuditRepository
  readonly agentEvents: AgentEventsRepository
  readonly #parts: StoreParts
  #closing: Promise<void> | undefined
  #durableWriters = 0
  readonly #batcher: TransactionBatcher

  constructor(parts: StoreParts) {
    this.#parts = parts
    this.db = parts.db
    this.dataDir = parts.dataDir
    this.databasePath = parts.databasePath
    this.migrationsApplied = parts.migrationsApplied
    const repositories = createRepositories(parts)
    this.tasks = repositories.tasks
    this.taskRuns = repositories.taskRuns
    this.assignments = repositories.assignments
    this.units = repositories.units
    this.workers = repositories.workers
    this.agents = repositories.agents
    this.onboardingAgents = repositories.onboardingAgents
    this.qualifications = repositories.qualifications
    this.submissions = repositories.submissions
    this.logs = repositories.logs
    this.liveUpdates = repositories.liveUpdates
    this.results = repositories.results
    this.remoteCalls = repositories.remoteCalls
    this.providerRecords = repositories.providerRecords
    this.audit = repositories.audit
    this.agentEvents = repositories.agentEvents
    this.#batcher = new TransactionBatcher(parts.db)
  }

  /**
   * Runs `fn` in one write transaction with repositories bound to it: all of
   * its writes commit together or not at all. Inside `fn` use only `tx`;
   * the store's own repositories would wait for the transaction to finish.
   */
  async transaction<TResult>(fn: (tx: Repositories) => Promise<TResult>): Promise<TResult> {
    return this.db
      .transaction()
      .execute((trx) => fn(createRepositories({ ...this.#parts, db: trx })))
  }

  /**
   * Like {@link transaction}, but committed together with the other batched
   * writes of the moment (group commit, see TransactionBatcher): for the
   * many small writes of registration, where the commit costs more than the
   * work. Resolves after the commit; `fn` is rolled back alone if it throws.
   * `fn` must only use `tx`, and do nothing slow: the batch waits for it.
   */
  async batched<TResult>(fn: (tx: Repositories) => Promise<TResult>): Promise<TResult> {
    return this.#batcher.run((trx) => fn(createRepositories({ ...this.#parts, db: trx })))
  }

  /**
   * Runs `fn` with every commit synced to disk before it returns
   * (`synchronous = FULL`). The store otherwise commits with
   * `synchronous = NORMAL`: in WAL mode that survives a crash of the process
   * but not of the machine, and saves an fsync per commit on the
   * registration path. Submissions go through here, so once the agent is
   * `completed` its data survives a power cut too.
   */
  async durably<TResult>(fn: () => Promise<TResult>): Promise<TResult> {
    // Counted, so that overlapping durable writes all stay FULL until the
    // last one has committed.
    // Through the connection's queue, not the handle: SQLite refuses to
    // change the level inside a transaction, and a group commit's may be
    // open right now.
    if (this.#durableWriters++ === 0) {
      try {
        await sql`pragma synchronous = FULL`.execute(this.db)
      } catch (error) {
        this.#durableWriters--
        throw error
      }
    }
    try {
      return await fn()
    } finally {
      if (--this.#durableWriters === 0) await sql`pragma synchronous = NORMAL`.execute(this.db)
    }
  }

  /** The folder for a run's files (uploads, agent data): `<dataDir>/runs/<taskRunId>`. */
  runDirectory(taskRunId: string): string {
    if (!SAFE_ID.test(taskRunId)) throw new StoreValueError(`not a task run id: ${taskRunId}`)
    return join(this.dataDir, 'runs', taskRunId)
  }

  /** Closes the database after the queries already queued have finished. Idempotent. */
  async close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.db.connection().execute(() => Promise.resolve())
      await this.db.destroy()
      await this.#parts.checkpointer?.close()
    })()
    return this.#closing
  }

  /** Same as {@link close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  /**
   * Closes the SQLite handle at once, for `using`; SQLite rolls back a
   * transaction still open. Prefer {@link close}, which lets queued work finish.
   */
  [Symbol.dispose](): void {
    this.#parts.sqlite.close()
    void this.#parts.checkpointer?.close()
  }
}
