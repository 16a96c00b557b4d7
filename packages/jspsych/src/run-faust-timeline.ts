import {
  createMessages,
  createTaskClient,
  randomUuid,
  type ClientMessages,
  type TaskClient,
  type TaskState,
} from '@faust/client'
import { optionProblems, type FaustTimelineOptions, type TrialDataMode } from './options.js'
import type { JsPsychLike, TrialData } from './options.js'
import {
  displayElementOf,
  errorScreen,
  failedScreen,
  savingScreen,
  showScreen,
  stateScreen,
  submittedScreen,
  type Screen,
} from './screens.js'
import type { ElementLike } from './dom.js'
import { submissionOf, trialUpdateOf, unitDataOf } from './submission.js'
import type { FaustJsPsychSubmission } from './submission.js'

/** Where a run of {@link runFaustTimeline} failed. */
export type FailedStage = 'options' | 'load' | 'onboarding' | 'timeline' | 'submit'

/**
 * How {@link runFaustTimeline} ended; the page already shows the matching
 * screen, so a page needs the result only to do more (log, redirect).
 */
export type FaustTimelineResult =
  | { readonly status: 'submitted'; readonly submission: FaustJsPsychSubmission }
  | { readonly status: 'already-submitted' }
  | { readonly status: 'preview' }
  | { readonly status: 'blocked'; readonly reason: string | null; readonly text: string }
  | { readonly status: 'error'; readonly stage: FailedStage; readonly error: Error }

/** Everything one run shares. */
interface Run<Item, Timeline> {
  readonly options: FaustTimelineOptions<Item, Timeline>
  readonly client: TaskClient
  readonly mode: TrialDataMode
  readonly jsPsychOptions: Readonly<Record<string, unknown>>
  /** Where screens go: `display_element`, then jsPsych's content element once it ran. */
  element: ElementLike
}

/** A failure of one stage, carried to the single place that shows and reports it. */
class StageError extends Error {
  readonly stage: FailedStage
  constructor(stage: FailedStage, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
    this.name = 'StageError'
    this.stage = stage
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/** Runs `work`; a throw becomes a {@link StageError} of `stage`. */
async function stage<T>(name: FailedStage, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw error instanceof StageError ? error : new StageError(name, error)
  }
}

/**
 * Runs a jsPsych timeline as a Faust unit: registers, shows the client's
 * screens for preview, blocked and errors, runs the onboarding block when
 * asked, sends each trial live (`trialData: 'live-updates'`), and submits the
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
    // Nothing more will be sent: a connection left open would keep the agent looking present.
    if (mode === 'live-updates') run.client.live.destroy()
    return { status: 'error', stage: failure.stage, error }
  }
}

/** Shows `screen`; a page whose element is gone still gets its result. */
function tryToShow(element: ElementLike, screen: Screen, messages: ClientMessages): void {
  try {
    showScreen(element, screen, messages)
  } catch {
    // Nothing to show it in: the returned result still says what happened.
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
  if (run.mode === 'live-updates') await stage('load', () => client.live.connect(agentId))
  const submission = await runTimeline(run, state, agentId)
  return submitAndShow(run, submission)
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
      'The task asks for onboarding, but runFaustTimeline was given no onboarding block.',
    )
  }
  const startedAt = Date.now()
  const jsPsych = run.options.initJsPsych(blockOptions(run.jsPsychOptions))
  await jsPsych.run(block(state.initialTaskData))
  run.element = jsPsych.getDisplayElement()
  const answers = collect(jsPsych, { mode: run.mode, runId: randomUuid(), startedAt })
  tryToShow(run.element, savingScreen(run.client.messages), run.client.messages)
  return run.client.submitOnboarding(answers)
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

/** Runs the unit's timeline; resolves with its submission once jsPsych's `on_finish` ran. */
async function runTimeline<Item, Timeline>(
  run: Run<Item, Timeline>,
  state: TaskState,
  agentId: string,
): Promise<FaustJsPsychSubmission> {
  const facts = { mode: run.mode, runId: randomUuid(), startedAt: Date.now() }
  const { item, previousTrials } = unitDataOf(state.initialTaskData, run.mode)
  const sending: Promise<unknown>[] = []
  const userUpdate = run.jsPsychOptions['on_data_update']
  const jsPsych = await stage('timeline', () =>
    run.options.initJsPsych({
      ...run.jsPsychOptions,
      on_data_update: (data: TrialData) => {
        if (typeof userUpdate === 'function') (userUpdate as (data: TrialData) => void)(data)
        if (run.mode !== 'live-updates') return
        const update = trialUpdateOf(data, facts.runId, sending.length)
        // A lost update is not fatal: the submission holds every trial.
        sending.push(run.client.live.sendLiveUpdate({ ...update }).catch(() => null))
      },
    }),
  )
  await stage('timeline', async () => {
    const timeline = run.options.timeline(item as Item, { agentId, previousTrials })
    await jsPsych.run(timeline)
  })
  run.element = jsPsych.getDisplayElement()
  const submission = collect(jsPsych, facts)
  // Once the page submits, the router forgets it: updates still queued would be dropped.
  await Promise.race([Promise.allSettled(sending), sleep(LIVE_FLUSH_MS)])
  return submission
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Submits once and shows "saved" only when the router acknowledged it; a
 * submission out of tries offers the client's own resend.
 */
async function submitAndShow<Item, Timeline>(
  run: Run<Item, Timeline>,
  submission: FaustJsPsychSubmission,
): Promise<FaustTimelineResult> {
  const { client } = run
  tryToShow(run.element, savingScreen(client.messages), client.messages)
  const unsubscribe = showAttempts(run)
  try {
    await client.submitTask(submission)
  } catch (caught) {
    const error = asError(caught)
    const state = client.getSnapshot()
    if (state.status === 'blocked') {
      tryToShow(
        run.element,
        stateScreen(state, client.messages) ?? errorScreen(error, client.messages),
        client.messages,
      )
      return settledResult(state)
    }
    showFailed(run, error)
    return { status: 'error', stage: 'submit', error }
  } finally {
    unsubscribe()
    if (run.mode === 'live-updates') client.live.destroy()
  }
  tryToShow(run.element, submittedScreen(client.messages), client.messages)
  return { status: 'submitted', submission }
}

/**
 * Redraws "saving" at each new try: the client retries without limit by
 * default, and a worker should see that the answers are kept, not a frozen page.
 */
function showAttempts<Item, Timeline>(run: Run<Item, Timeline>): () => void {
  const { client } = run
  let shown = 1
  return client.subscribe(() => {
    const submission = client.getSnapshot().submission
    if (submission?.state !== 'saving' || submission.attempts <= shown) return
    shown = submission.attempts
    tryToShow(run.element, savingScreen(client.messages, shown), client.messages)
  })
}

/** The "not saved yet" screen, whose button resends with the same idempotency key. */
function showFailed<Item, Timeline>(run: Run<Item, Timeline>, error: Error): void {
  const { client } = run
  const retry = (): void => {
    const resend = client.retrySubmission()
    if (resend === null) return
    tryToShow(run.element, savingScreen(client.messages), client.messages)
    resend.then(
      () => {
        tryToShow(run.element, submittedScreen(client.messages), client.messages)
      },
      (again: unknown) => {
        showFailed(run, asError(again))
      },
    )
  }
  tryToShow(run.element, failedScreen(error, client.messages, retry), client.messages)
}
