import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often the background connection copies the WAL into the database. */
const CHECKPOINT_INTERVAL_MS = 250

// The worker is plain CommonJS evaluated from this string, so that it runs
// the same from the compiled package and from TypeScript sources in tests.
// `better-sqlite3` is resolved here and handed over by path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { fileMustExist: true })
db.pragma('busy_timeout = 5000')
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (error) {
    parentPort.postMessage({ error: String(error) })
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

/**
 * Checkpoints a WAL database from a worker thread. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold and syncs
 * the file twice: on this machine that was most of the cost of a
 * registration's commit (171 µs per commit instead of 35). A passive
 * checkpoint on a second connection never blocks the writer, and the event
 * loop never waits for its fsyncs. The store keeps a far higher automatic
 * threshold as a backstop, in case this thread falls behind or fails.
 */
export class BackgroundCheckpointer {
  readonly #worker: Worker
  readonly #exited: Promise<void>

  constructor(databasePath: string, onError: (message: string) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, path: databasePath, intervalMs: CHECKPOINT_INTERVAL_MS },
    })
    // Never what keeps a process alive: the store's close() ends it.
    this.#worker.unref()
    this.#worker.on('message', (message: { error?: string }) => {
      if (message.error !== undefined) onError(message.error)
    })
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        resolve()
      })
      this.#worker.once('error', (error) => {
        onError(String(error))
      })
    })
  }

  /** Runs a last checkpoint and ends the thread. */
  async close(): Promise<void> {
    // Held until it has exited: awaiting an unreferenced thread lets the
    // event loop run dry, and a CLI would exit mid-close (code 13).
    this.#worker.ref()
    this.#worker.postMessage('close')
    await this.#exited
  }
}
