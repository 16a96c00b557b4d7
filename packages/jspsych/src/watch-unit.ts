import { AGENT_STATUS } from '@faust/client'
import type { JsPsychLike } from './options.js'
import { tryToShow, type Run } from './run.js'
import { endedScreen } from './screens.js'

/**
 * Statuses after which the unit is no longer the worker's: the backend would
 * keep a later submission only as a late one in its error log, so the worker
 * must stop at once, not finish a timeline that cannot count. `partner
 * disconnect` may still submit, and `mephisto disconnect` (the backend
 * silent) may come back, so the submission's retries cover it.
 */
const UNIT_ENDED: ReadonlySet<string> = new Set([
  AGENT_STATUS.EXPIRED,
  AGENT_STATUS.TIMEOUT,
  AGENT_STATUS.DISCONNECT,
  AGENT_STATUS.RETURNED,
])

/** The agent status that ended the unit, and the catalogue's text for it. */
export interface UnitEnded {
  readonly agentStatus: string
  readonly text: string
}

/** Watches the agent's pushed statuses while the unit's timeline runs. */
export interface UnitWatch {
  /** The status that ended the unit, once one did. */
  ended(): UnitEnded | null
  /** Options to spread over the page's for the unit's jsPsych. */
  jsPsychOptions(page: Readonly<Record<string, unknown>>): Record<string, unknown>
  /** Runs `timeline` unless the unit already ended; an ending aborts it. */
  run<Timeline>(jsPsych: JsPsychLike<Timeline>, timeline: Timeline): Promise<void>
  stop(): void
}

/** Ends what jsPsych is running; harmless when nothing is. */
export function stopQuietly(jsPsych: JsPsychLike<never>): void {
  try {
    jsPsych.abortExperiment()
  } catch {
    // A jsPsych whose timeline never started has nothing to stop.
  }
}

export function watchUnit<Item, Timeline>(run: Run<Item, Timeline>): UnitWatch {
  const { client } = run
  let ended: UnitEnded | null = null
  let running: JsPsychLike<never> | null = null
  const unsubscribe =
    run.mode === 'live-updates'
      ? client.live.onStatusUpdate(({ status }) => {
          if (ended !== null || !UNIT_ENDED.has(status)) return
          const screen = endedScreen(status, client.messages)
          ended = { agentStatus: status, text: screen.text }
          // At once, over the trial; drawn again once jsPsych has wound down.
          tryToShow(running?.getDisplayElement() ?? run.element, screen, client.messages)
          if (running !== null) stopQuietly(running)
        })
      : () => undefined
  return {
    ended: () => ended,
    jsPsychOptions: (page) => ({
      on_trial_start: (trial: unknown) => {
        const own = page['on_trial_start']
        if (typeof own === 'function') (own as (trial: unknown) => void)(trial)
        // jsPsych ignores an abort before its timeline runs; a trial that
        // starts after the ending is stopped once it waits for its answer.
        if (ended !== null && running !== null) {
          const stopping = running
          queueMicrotask(() => {
            stopQuietly(stopping)
          })
        }
      },
    }),
    async run(jsPsych, timeline) {
      if (ended !== null) return
      const done = jsPsych.run(timeline)
      running = jsPsych
      await done
    },
    stop: unsubscribe,
  }
}
