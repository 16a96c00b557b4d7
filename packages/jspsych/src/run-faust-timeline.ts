import { createMessages, createTaskClient, randomUuid, type TaskState } from '@faust/client'
import { optionProblems, type FaustTimelineOptions, type TrialDataMode } from './options.js'
import type { JsPsychLike, TrialData } from './options.js'
import {
  asError,
  reportError,
  stage,
  StageError,
  tryToShow,
  type FaustTimelineResult,
  type Run,
} from './run.js'
import { displayElementOf, endedScreen, errorScreen, savingScreen, stateScreen } from './screens.js'
import { submitAndShow } from './submit.js'
import { submissionOf, trialUpdateOf, unitDataOf } from './submission.js'
import type { FaustJsPsychSubmission } from './submission.js'
import { stopQuietly, watchUnit, type UnitEnded, type UnitWatch } from './watch-unit.js'

export type { FailedStage, FaustTimelineResult } from './run.js'

/**
 * Runs a jsPsych timeline as a Faust unit: registers, shows the client's
 * screens for preview, blocked and errors, runs the onboarding block when
 * asked, sends each trial live (`trialData: 'live-updates'`), stops the
 * timeline when the unit ends under it (`expired`, `timeout`), and submits the
 * trials once, showing "saved" only after the router acknowledged them.
 * Never rejects: the result (and the screen) says how it ended. See docs/jspsych.md.
 */
export async function runFaustTimeline<Item = unknown, Timeline = unknown[]>(
  options: FaustTimelineOptions<Item, Timeline>,
): Promise<FaustTimelineResult> {
  const problems = optionProblems(options)
  if (problems.length > 0) {
    const error = new TypeError(`runFaustTimeline: ${problems.join('; ')}`)
    const messages = createMessages()
    try {
      tryToShow(displayElementOf({}), errorScreen(error, messages), messages)
    } catch {
      // No page to show it in (Node): the result says it.
    }
    return { status: 'error', stage: 'options', error }
  }
  const mode = options.trialData ?? 'final'
  const jsPsychOptions = options.jsPsychOptions ?? {}
  let run: Run<Item, Timeline>
  try {
    const client = options.client ?? createTaskClient({ live: mode === 'live-updates' })
    run = { options, client, mode, jsPsychOptions, element: displayElementOf(jsPsychOptions) }
  } catch (error) {
    return { status: 'error', stage: 'load', error: asError(error) }
  }
  try {
    return await runUnit(run)
  } catch (caught) {
    const failure = caught instanceof StageError ? caught : new StageError('load', caught)
    const error = asError(failure.cause)
    const retry = (): void => {
      void runFaustTimeline({ ...options, client: run.client })
    }
    const screen = errorScreen(
      error,
      run.client.messages,
      failure.stage === 'load' ? retry : undefined,
    )
    tryToShow(run.element, screen, run.client.messages)
    // A loading failure is the network's; these are the page's, which only its researcher can fix.
    if (failure.stage === 'onboarding' || failure.stage === 'timeline') {
      reportError(run.client, failure.stage, error)
    }
    // Nothing more will be sent: a connection left open would keep the agent looking present.
    if (mode === 'live-updates') run.client.live.destroy()
    return { status: 'error', stage: failure.stage, error }
  }
}

async function runUnit<Item, Timeline>(run: Run<Item, Timeline>): Promise<FaustTimelineResult> {
  const { client } = run
  let state = await stage('load', () => client.retry())
  if (state.status === 'error') throw new StageError('load', state.error ?? 'loading failed')
  if (state.status === 'ready' && state.isOnboarding === true) {
    state = await stage('onboarding', () => runOnboarding(run, state))
  }
  const screen = stateScreen(state, client.messages)
  if (screen !== null) {
    tryToShow(run.element, screen, client.messages)
    return settledResult(state)
  }
  const agentId = state.agentId
  if (agentId === null)
    throw new StageError('load', 'The router registered no agent for this page.')
  // Statuses come over the live connection only: a 'final' page does not hear
  // that its unit ended (docs/jspsych.md, "Not covered yet").
  const watch = watchUnit(run)
  let outcome: TimelineOutcome
  try {
    if (run.mode === 'live-updates') await stage('load', () => client.live.connect(agentId))
    outcome = await runTimeline(run, state, { agentId, watch })
  } finally {
    // From here the submission decides: the backend judges whether it came in time.
    watch.stop()
  }
  if ('agentStatus' in outcome) {
    client.live.destroy()
    tryToShow(run.element, endedScreen(outcome.agentStatus, client.messages), client.messages)
    return { status: 'ended', stage: 'timeline', ...outcome }
  }
  return submitAndShow(run, outcome)
}

function settledResult(state: TaskState): FaustTimelineResult {
  if (state.status === 'preview') return { status: 'preview' }
  if (state.status === 'submitted') return { status: 'already-submitted' }
  if (state.status === 'error') {
    throw new StageError('load', state.error ?? 'loading failed')
  }
  return {
    status: 'blocked',
    reason: state.blockedReason,
    text: state.blockedExplanation ?? '',
  }
}

/** The jsPsych options without the whole-experiment callbacks, for the onboarding block. */
function blockOptions(jsPsychOptions: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...jsPsychOptions }
  // Deleted, not set to undefined: jsPsych spreads the options over its defaults.
  delete rest['on_finish']
  delete rest['on_data_update']
  return rest
}

/** Runs the onboarding block and submits its trials; resolves with the state it leads to. */
async function runOnboarding<Item, Timeline>(
  run: Run<Item, Timeline>,
  state: TaskState,
): Promise<TaskState> {
  const block = run.options.onboarding
  if (block === undefined) {
    throw new Error(
      'The task asks for onboarding (its defineTask has `onboarding`), but this page passed ' +
        'runFaustTimeline no `onboarding` block to run: add one, or remove onboarding from the task.',
    )
  }
  const startedAt = Date.now()
  const jsPsych = run.options.initJsPsych(blockOptions(run.jsPsychOptions))
  try {
    await jsPsych.run(block(state.initialTaskData))
  } catch (error) {
    stopQuietly(jsPsych)
    throw error
  }
  run.element = jsPsych.getDisplayElement()
  const answers = collect(jsPsych, { mode: run.mode, runId: randomUuid(), startedAt })
  tryToShow(run.element, savingScreen(run.client.messages), run.client.messages)
  const next = await run.client.submitOnboarding(answers)
  // The unit's jsPsych adds its own content next to the block's: the block's "saving" must go.
  run.element = displayElementOf(run.jsPsychOptions)
  run.element.replaceChildren()
  return next
}

function collect(
  jsPsych: JsPsychLike<unknown>,
  facts: { readonly mode: TrialDataMode; readonly runId: string; readonly startedAt: number },
): FaustJsPsychSubmission {
  const trials = jsPsych.data.get().values()
  const interactions = jsPsych.data.getInteractionData().values()
  return submissionOf({ trials, interactions }, facts, Date.now())
}

/** Longest wait for queued live updates to be written before submitting. */
const LIVE_FLUSH_MS = 5000

/** How the unit's timeline ended: its submission, or the status that ended the unit under it. */
type TimelineOutcome = FaustJsPsychSubmission | UnitEnded

/**
 * Runs the unit's timeline; resolves with its submission once jsPsych's
 * `on_finish` ran, or with the agent status that stopped it.
 */
async function runTimeline<Item, Timeline>(
  run: Run<Item, Timeline>,
  state: TaskState,
  unit: { readonly agentId: string; readonly watch: UnitWatch },
): Promise<TimelineOutcome> {
  const { agentId, watch } = unit
  const facts = { mode: run.mode, runId: randomUuid(), startedAt: Date.now() }
  const { item, previousTrials } = unitDataOf(state.initialTaskData, run.mode)
  const sending: Promise<unknown>[] = []
  const userUpdate = run.jsPsychOptions['on_data_update']
  const jsPsych = await stage('timeline', () =>
    run.options.initJsPsych({
      ...run.jsPsychOptions,
      ...watch.jsPsychOptions(run.jsPsychOptions),
      on_data_update: (data: TrialData) => {
        if (typeof userUpdate === 'function') (userUpdate as (data: TrialData) => void)(data)
        // The trial cut short by an ended unit is no trial the backend would take.
        if (run.mode !== 'live-updates' || watch.ended() !== null) return
        const update = trialUpdateOf(data, facts.runId, sending.length)
        // A lost update is not fatal: the submission holds every trial.
        sending.push(run.client.live.sendLiveUpdate({ ...update }).catch(() => null))
      },
    }),
  )
  try {
    await stage('timeline', async () => {
      const timeline = run.options.timeline(item as Item, { agentId, previousTrials })
      await watch.run(jsPsych, timeline)
    })
  } catch (error) {
    if (watch.ended() === null) {
      // Stops what the failed trial left going (its key listeners, its timers).
      stopQuietly(jsPsych)
      throw error
    }
  }
  run.element = jsPsych.getDisplayElement()
  const submission = collect(jsPsych, facts)
  // Once the page submits, the router forgets it: updates still queued would be dropped.
  if (watch.ended() === null)
    await Promise.race([Promise.allSettled(sending), sleep(LIVE_FLUSH_MS)])
  // Nor a unit that ended while they were written: it would be kept only as a late submission.
  return watch.ended() ?? submission
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
