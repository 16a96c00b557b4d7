import { asError, tryToShow, type FaustTimelineResult, type Run } from './run.js'
import { errorScreen, failedScreen, savingScreen, stateScreen, submittedScreen } from './screens.js'
import type { FaustJsPsychSubmission } from './submission.js'

/** What one try of the submission came to. */
type Attempt =
  | { readonly outcome: 'saved' }
  | { readonly outcome: 'refused'; readonly result: FaustTimelineResult }
  | { readonly outcome: 'failed'; readonly error: Error }

/**
 * Submits once and shows "saved" only when the router acknowledged it. A
 * submission out of tries shows "not saved yet" with the client's own resend
 * (same idempotency key), and the result waits for it: a page that redirects
 * on `submitted` must still do so when the worker's "Try again" succeeds.
 */
export async function submitAndShow<Item, Timeline>(
  run: Run<Item, Timeline>,
  submission: FaustJsPsychSubmission,
): Promise<FaustTimelineResult> {
  const { client } = run
  tryToShow(run.element, savingScreen(client.messages), client.messages)
  const unsubscribe = showAttempts(run)
  let attempt: Attempt
  try {
    attempt = await settle(run, client.submitTask(submission))
    while (attempt.outcome === 'failed') {
      const { resend } = await askToResend(run, attempt.error)
      if (resend === null) {
        tryToShow(run.element, errorScreen(attempt.error, client.messages), client.messages)
        return { status: 'error', stage: 'submit', error: attempt.error }
      }
      attempt = await settle(run, resend)
    }
  } finally {
    unsubscribe()
    // Open until the end, "Try again" included: a closed socket would have the
    // backend release the unit as `disconnect`, and the resend come too late.
    if (run.mode === 'live-updates') client.live.destroy()
  }
  if (attempt.outcome === 'refused') return attempt.result
  tryToShow(run.element, submittedScreen(client.messages), client.messages)
  return { status: 'submitted', submission }
}

/** How a try ended: saved, refused (the client blocked the page: shown), or failed and resendable. */
async function settle<Item, Timeline>(
  run: Run<Item, Timeline>,
  sending: Promise<unknown>,
): Promise<Attempt> {
  const { client } = run
  try {
    await sending
    return { outcome: 'saved' }
  } catch (caught) {
    const error = asError(caught)
    const state = client.getSnapshot()
    if (state.status !== 'blocked') return { outcome: 'failed', error }
    const screen = stateScreen(state, client.messages) ?? errorScreen(error, client.messages)
    tryToShow(run.element, screen, client.messages)
    const result: FaustTimelineResult = {
      status: 'blocked',
      reason: state.blockedReason,
      text: state.blockedExplanation ?? '',
    }
    return { outcome: 'refused', result }
  }
}

/**
 * Shows "not saved yet" until the worker presses "Try again"; resolves with
 * the resend (wrapped: a promise resolved with a promise would wait for it),
 * or null when the client has nothing left to resend.
 */
function askToResend<Item, Timeline>(
  run: Run<Item, Timeline>,
  error: Error,
): Promise<{ readonly resend: Promise<unknown> | null }> {
  const { client } = run
  return new Promise((resolve) => {
    const retry = (): void => {
      const resend = client.retrySubmission()
      if (resend !== null) tryToShow(run.element, savingScreen(client.messages), client.messages)
      resolve({ resend })
    }
    tryToShow(run.element, failedScreen(error, client.messages, retry), client.messages)
  })
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
    if (submission?.state !== 'saving') return
    // A resend starts counting again: its first try is announced by askToResend.
    if (submission.attempts < shown) shown = submission.attempts
    if (submission.attempts <= shown) return
    shown = submission.attempts
    tryToShow(run.element, savingScreen(client.messages, shown), client.messages)
  })
}
