import {
  createConsoleServer,
  createStoreActions,
  type ConsoleServer,
  type LiveRuns,
} from '@faust/console'
import { changeRun, type TaskRunHandle } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import type { Logger } from '@faust/protocol'
import { explainListenError } from '../listen-error.js'
import { platformFromEnvironment } from '../providers/backend-api.js'
import { findPublishedRun } from '../providers/published-run.js'

/** Where the console listens (`--host/--port/--token`, or `faust run`'s `--console-*`). */
export interface ConsoleListen {
  readonly host: string
  readonly port: number
  readonly token?: string | undefined
}

/**
 * Serves the console over `store`. Its actions are the store's own
 * (`createStoreActions`), reviews going to the platform of the task's newest
 * published run with `faust run`'s credentials; the review helper's audited
 * operator-actions door replaces this at merge. Run changes go to `run`'s
 * live handle, or through `changeRun` (docs/console.md, "Changing a live run").
 */
export async function serveConsole(input: {
  readonly store: Store
  readonly listen: ConsoleListen
  readonly live?: LiveRuns | undefined
  /** The run `faust run` serves: its changes go to the live handle directly. */
  readonly run?: Pick<TaskRunHandle, 'runId' | 'change'> | undefined
  readonly logger?: Logger | undefined
}): Promise<ConsoleServer> {
  const { store } = input
  const served = input.run
  const actions = createStoreActions({
    store,
    // Another run (or none served here) is changed through the store: its
    // own live process applies it, else the stored run is changed.
    changeRun: ({ taskRunId, change }) =>
      served?.runId === taskRunId
        ? served.change(change, 'console')
        : changeRun({ store, taskRunId, change, actor: 'console' }),
    platformFor: async (taskName) => {
      const run = await findPublishedRun(store, taskName)
      return run === null
        ? null
        : platformFromEnvironment(run.type, process.env, { sandbox: run.sandbox })
    },
  })
  const { host, port, token } = input.listen
  return explainListenError({ host, port }, () =>
    createConsoleServer({
      store,
      actions,
      host,
      port,
      token,
      live: input.live,
      logger: input.logger,
    }),
  )
}
