import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

interface Job {
  readonly run: (trx: Kysely<Database>) => Promise<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown }

/**
 * Group commit: the write jobs queued while the previous batch was running
 * (or in the same turn of the event loop) run one after another in a single
 * transaction, each inside its own savepoint, and settle only once that
 * transaction has committed. A commit is most of a registration's cost (the
 * WAL write); a burst of registrations now shares one. A job that throws is
 * rolled back alone; the others still commit. Jobs must only touch the
 * database: the batch holds the connection while they run.
 */
export class TransactionBatcher {
  readonly #db: Kysely<Database>
  readonly #maxJobs: number
  readonly #queue: Job[] = []
  #running = false
  /** Told of each committed batch: how long its transaction took, and its jobs. */
  onCommit: ((ms: number, jobs: number) => void) | null = null

  constructor(db: Kysely<Database>, maxJobs = 64) {
    this.#db = db
    this.#maxJobs = maxJobs
  }

  /** Runs `job` in the next batch; resolves with its result after the batch commits. */
  run<TResult>(job: (trx: Kysely<Database>) => Promise<TResult>): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.#queue.push({ run: job, resolve: resolve as (value: unknown) => void, reject })
      if (!this.#running) {
        this.#running = true
        setImmediate(() => {
          void this.#drain()
        })
      }
    })
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const jobs = this.#queue.splice(0, this.#maxJobs)
      await this.#runBatch(jobs)
    }
    this.#running = false
  }

  async #runBatch(jobs: readonly Job[]): Promise<void> {
    const outcomes: Outcome[] = []
    const started = performance.now()
    try {
      await this.#db.transaction().execute(async (trx) => {
        for (const job of jobs) {
          await sql`savepoint batch_job`.execute(trx)
          try {
            outcomes.push({ ok: true, value: await job.run(trx) })
          } catch (error) {
            // SQLite ended the whole transaction (SQLITE_FULL, SQLITE_IOERR,
            // …): the batch is lost, and every job fails with this error, the
            // real one, not the savepoint's "no transaction is active".
            if (!(await undoJob(trx))) throw error
            outcomes.push({ ok: false, error })
          }
          await sql`release batch_job`.execute(trx)
        }
      })
    } catch (error) {
      // The commit itself failed: nothing of the batch was stored.
      for (const job of jobs) job.reject(error)
      return
    }
    this.onCommit?.(performance.now() - started, jobs.length)
    jobs.forEach((job, index) => {
      const outcome = outcomes[index]
      if (outcome?.ok === true) job.resolve(outcome.value)
      else job.reject(outcome?.error)
    })
  }
}

/** Rolls a failed job back to its savepoint; false if the transaction itself is gone. */
async function undoJob(trx: Kysely<Database>): Promise<boolean> {
  try {
    await sql`rollback to batch_job`.execute(trx)
    return true
  } catch {
    return false
  }
}
