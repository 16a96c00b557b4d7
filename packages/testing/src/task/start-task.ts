// `startTask`: a task author's harness. The task runs as `faust run` would
// run it (a real router, a real SQLite store, `runTask`), against bots that
// are `@faust/client` pages in Node.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '@faust/protocol'
import {
  runTask,
  taskConfigFor,
  type RunProgress,
  type TaskDefinition,
  type TaskRunHandle,
} from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import type { RouterOptions } from '@faust/router'
import { EventLogger } from '../backend/event-logger.js'
import { WAIT_MS } from '../backend/wait-limit.js'
import { within } from '../deferred.js'
import { FakeClock } from '../fake-clock.js'
import { startTestRouter, type TestRouter } from '../test-router.js'
import { createBot, type BotContext, type BotOptions, type TaskBot } from './task-bot.js'
import { progressWhere } from './run-waits.js'
import { runResults, type TaskResult } from './task-results.js'

/** Options of {@link startTask}. */
export interface StartTaskOptions<TClock extends Clock = FakeClock> {
  /** The folder a string `data` path resolves against: the task file's (`import.meta.dirname`). @default process.cwd() */
  readonly baseDir?: string
  /** The clock of the router, the run, the store and the bots. @default a new {@link FakeClock} */
  readonly clock?: TClock
  /** Router options, e.g. a long `heartbeatTimeoutMs` for a test that moves the clock far at once. */
  readonly router?: Partial<RouterOptions>
  /** The run's status poll (`RunTaskOptions.statusPollMs`). @default 4000 */
  readonly statusPollMs?: number
  /** The longest real-time wait for anything the harness or a bot waits on. @default 5000 */
  readonly waitMs?: number
}

/** A running task, its bots, and what it stored. Dispose it (`await using`) to close everything. */
export interface TaskHarness<TClock extends Clock = FakeClock> extends AsyncDisposable {
  /** The task's name (the store's `taskName`). */
  readonly taskName: string
  /** The run (`runTask`'s handle): progress, `onProgress`, `stats()`. */
  readonly run: TaskRunHandle
  /** The run's store, on a temporary folder removed on dispose. */
  readonly store: Store
  readonly clock: TClock
  /** The router the bots talk to (on 127.0.0.1, port 0). */
  readonly router: TestRouter
  /** Everything the run logged; `logger.next(text)` waits for a line. */
  readonly logger: EventLogger
  /** A new bot: worker `<name>` of the mock provider (stored as `<name>_sandbox`). */
  worker(name: string, options?: BotOptions): Promise<TaskBot>
  /** The run's stored submissions, in the order and shape of {@link TaskResult}. */
  results(): Promise<TaskResult[]>
  progress(): Promise<RunProgress>
  /** Waits until the run's progress satisfies `predicate` (now or at a later report); that progress. */
  waitForProgress(predicate: (progress: RunProgress) => boolean): Promise<RunProgress>
  /** Waits until every unit is final (completed or expired); the final progress. */
  done(): Promise<RunProgress>
  /** Ends the run now (`TaskRunHandle.stop`); the final progress. */
  stop(): Promise<RunProgress>
}

/**
 * Runs `task` on a router at 127.0.0.1:0 with a throwaway store, for bots
 * (`h.worker(name)`) to work on. Every wait is bounded by `waitMs` of real time.
 *
 * @example
 * await using h = await startTask(task, { baseDir: import.meta.dirname })
 * const alice = await h.worker('alice')
 * await alice.register()
 * await alice.submit({ label: 'positive' })
 * expect(await h.results()).toMatchObject([{ worker: 'alice', data: { label: 'positive' } }])
 */
export function startTask<TData>(
  task: TaskDefinition<TData>,
  options?: StartTaskOptions & { readonly clock?: undefined },
): Promise<TaskHarness>
export function startTask<TData, TClock extends Clock>(
  task: TaskDefinition<TData>,
  options: StartTaskOptions<TClock> & { readonly clock: TClock },
): Promise<TaskHarness<TClock>>
export async function startTask<TData>(
  typed: TaskDefinition<TData>,
  options: StartTaskOptions<Clock> = {},
): Promise<TaskHarness<Clock>> {
  // `TaskDefinition<TData>` is invariant in its data (items in, `run` and
  // hooks take them), so a typed task is no `TaskDefinition<unknown>`; a run
  // only stores and hands back the items, so erasing their type is safe.
  const task = typed as unknown as TaskDefinition
  const clock = options.clock ?? new FakeClock()
  const router = await startTestRouter({ ...options.router, clock })
  const dataDir = await mkdtemp(join(tmpdir(), 'faust-task-'))
  const cleanup = async (): Promise<void> => {
    await router[Symbol.asyncDispose]()
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    await writeTaskConfig(router.staticDir, task)
    const store = await openDatabase({ dataDir, clock })
    const logger = new EventLogger()
    const run = await runTask({
      task,
      baseDir: options.baseDir ?? process.cwd(),
      store,
      clock,
      logger,
      statusPollMs: options.statusPollMs,
      router: {
        socketUrl: router.router.socketUrl,
        httpUrl: router.router.url,
        token: router.token,
        uploadDir: router.uploadDir,
      },
    }).catch(async (error: unknown) => {
      await store.close()
      throw error
    })
    return taskHarness(
      { task, parts: { taskName: task.name, run, store, clock, router, logger } },
      options.waitMs ?? WAIT_MS,
      cleanup,
    )
  } catch (error) {
    await cleanup()
    throw error
  }
}

/** `task_config.json` as `faust run` serves it. */
async function writeTaskConfig(staticDir: string, task: TaskDefinition): Promise<void> {
  await writeFile(join(staticDir, 'task_config.json'), JSON.stringify(taskConfigFor(task)))
}

type HarnessParts = Pick<
  TaskHarness<Clock>,
  'taskName' | 'run' | 'store' | 'clock' | 'router' | 'logger'
>

/** The harness over a started run; `cleanup` closes the router and removes the folders. */
function taskHarness(
  started: { readonly task: TaskDefinition; readonly parts: HarnessParts },
  waitMs: number,
  cleanup: () => Promise<void>,
): TaskHarness<Clock> {
  const { task, parts } = started
  const { run, store } = parts
  const bots: TaskBot[] = []
  // The backend's worker id of each bot, so results name workers as the test did.
  const names = new Map<string, string>()
  const ctx: BotContext = {
    baseUrl: parts.router.router.url,
    clock: parts.clock,
    run,
    store,
    waitMs,
    live: task.taskType === 'concurrent' || Object.keys(task.remoteProcedures).length > 0,
    identified: (workerId, name) => names.set(workerId, name),
  }
  return {
    ...parts,
    worker(name, options) {
      const bot = createBot(ctx, name, options)
      bots.push(bot)
      return Promise.resolve(bot)
    },
    results: () => runResults(store, run, { taskName: task.name, names }),
    progress: () => run.progress(),
    waitForProgress: (predicate) =>
      progressWhere(run, predicate, { ms: waitMs, what: `the progress of '${task.name}'` }),
    done: () => within(run.done, waitMs, `every unit of '${task.name}' to be final`),
    stop: () => run.stop(),
    async [Symbol.asyncDispose]() {
      for (const bot of bots) bot.stop()
      await run.stop()
      await store.close()
      await cleanup()
    },
  }
}
