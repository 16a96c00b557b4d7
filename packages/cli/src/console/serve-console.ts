import {
  createConsoleServer,
  createStoreActions,
  type ConsoleServer,
  type LiveRuns,
} from '@faust/console'
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
 * operator-actions door replaces this at merge, and run changes come with
 * the control helper's `changeRun`.
 */
export async function serveConsole(input: {
  readonly store: Store
  readonly listen: ConsoleListen
  readonly live?: LiveRuns | undefined
  readonly logger?: Logger | undefined
}): Promise<ConsoleServer> {
  const { store } = input
  const actions = createStoreActions({
    store,
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
