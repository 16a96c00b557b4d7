import { join } from 'node:path'
import { createConsoleServer, type ConsoleServer, type LiveRuns } from '@faust/console'
import { changeRun, createOperatorActions, type TaskRunHandle } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import type { Logger } from '@faust/protocol'
import { explainListenError } from '../listen-error.js'
import { REVIEW_FOLDER } from '../task/review-folder.js'

/** Where the console listens (`--host/--port/--token`, or `faust run`'s `--console-*`). */
export interface ConsoleListen {
  readonly host: string
  readonly port: number
  readonly token?: string | undefined
}

/**
 * Serves the console over `store`. Its actions are the backend's operator actions
 * with actor `console`, the same audited path as `faust review`, `faust
 * block` and `faust qualify`: reviews go to the platform of the task's newest
 * published run with `faust run`'s credentials. Run changes go to `run`'s
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
  const actions = createOperatorActions({
    store,
    env: process.env,
    actor: 'console',
    // Another run (or none served here) is changed through the store: its
    // own live process applies it, else the stored run is changed.
    changeRun: ({ taskRunId, change, actor }) =>
      served?.runId === taskRunId
        ? served.change(change, actor)
        : changeRun({ store, taskRunId, change, actor }),
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
      reviewDir: join(store.dataDir, REVIEW_FOLDER),
    }),
  )
}
