import { recordRouterEvents } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import type { Logger } from '@faust/protocol'
import type { Architect } from '../architect/architect.js'

/** What {@link watchAgents} returns: stop watching, with what is buffered written. */
export interface AgentWatch {
  close(): Promise<void>
}

/**
 * Records the run's agents' connects, disconnects and heartbeat gaps, as the
 * router in this process sees them, into `agent_events`: the timelines of
 * `faust console` read them, during the run and after it. A remote router is
 * not in this process, so nothing is recorded then (docs/console.md).
 */
export function watchAgents(
  architect: Pick<Architect, 'router'>,
  run: { readonly store: Store; readonly runId: string; readonly logger: Logger },
): AgentWatch {
  const router = architect.router
  if (router === undefined) return { close: () => Promise.resolve() }
  const recorder = recordRouterEvents(run.store, run.runId, { logger: run.logger })
  const unobserve = router.observe(recorder)
  return {
    close: async () => {
      unobserve()
      await recorder.close()
    },
  }
}
