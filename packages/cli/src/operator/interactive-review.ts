import type { OperatorActions } from '@faust/backend'
import type { Store, SubmissionExport } from '@faust/backend/store'
import { AgentStatus } from '@faust/protocol'
import type { OutputStream } from '../command-io.js'
import type { ReviewAction } from '../providers/backend-api.js'
import { parseMoney } from '../providers/provider-flags.js'
import { formatReviewOutcomes } from '../providers/review-action.js'
import { formatPendingUnit, terminalSafe } from './format-pending-unit.js'
import type { Prompter } from './line-prompter.js'

/** The question asked for each unit. */
export const REVIEW_MENU =
  '[a]pprove [r]eject [s]oft-reject [b]onus [k] block worker [n]ext/skip [q]uit: '

/** What an interactive review did, for its summary. */
export interface ReviewTally {
  approved: number
  rejected: number
  softRejected: number
  bonuses: number
  blocked: number
  skipped: number
  failed: number
  /** Units not decided on: skipped, or not reached before quitting. */
  left: number
}

/** What {@link interactiveReview} needs. */
export interface InteractiveReviewInput {
  readonly store: Store
  readonly taskName: string
  readonly actions: OperatorActions
  readonly prompter: Prompter
  readonly output: OutputStream
}

/** What one key did to the unit shown: move on, ask again, or stop. */
type Step = 'next' | 'again' | 'quit'

/**
 * `faust review <task>` on a terminal, like `mephisto review`: walks the
 * completed units awaiting a decision one at a time, shows each, and asks
 * what to do. Approve, reject and soft-reject move to the next unit; a
 * bonus or a block stays on it (decide on it next). Every action goes
 * through the operator actions, so it is audited as the CLI's.
 */
export async function interactiveReview(input: InteractiveReviewInput): Promise<ReviewTally> {
  const pending = await pendingSubmissions(input.store, input.taskName)
  const tally: ReviewTally = {
    approved: 0,
    rejected: 0,
    softRejected: 0,
    bonuses: 0,
    blocked: 0,
    skipped: 0,
    failed: 0,
    left: pending.length,
  }
  if (pending.length === 0) {
    input.output.write(
      `nothing to review: no completed unit of ${input.taskName} awaits a decision\n`,
    )
    return tally
  }
  for (const [index, submission] of pending.entries()) {
    input.output.write(formatPendingUnit(submission, { index, total: pending.length }))
    let step: Step = 'again'
    while (step === 'again') step = await reviewStep(input, submission, tally)
    if (step === 'quit') break
  }
  return tally
}

/** Completed units of the task's work (not screening or gold) not reviewed yet, oldest first. */
async function pendingSubmissions(store: Store, taskName: string): Promise<SubmissionExport[]> {
  const rows = await store.results.exportSubmissions({
    taskName,
    agentStatuses: [AgentStatus.COMPLETED],
  })
  return rows.filter((row) => row.unitStatus === 'completed' && row.reviewStatus === null)
}

async function reviewStep(
  input: InteractiveReviewInput,
  submission: SubmissionExport,
  tally: ReviewTally,
): Promise<Step> {
  const answer = await input.prompter.ask(REVIEW_MENU)
  if (answer === null) {
    // Nobody answered (end of input, Ctrl-C): end the prompt's line.
    input.output.write('\n')
    return 'quit'
  }
  const target = submission.unitId
  switch (answer.trim().toLowerCase()) {
    case 'a':
      return decide(input, { kind: 'approve', target }, tally)
    case 'r': {
      const reason = await askReason(input, 'reason (the worker sees it): ', true)
      if (reason?.text === undefined) return 'again'
      return decide(input, { kind: 'reject', target, reason: reason.text }, tally)
    }
    case 's': {
      const reason = await askReason(input, 'reason (optional, Enter for none): ', false)
      if (reason === null) return 'again'
      return decide(input, { kind: 'soft_reject', target, reason: reason.text }, tally)
    }
    case 'b':
      return bonus(input, target, tally)
    case 'k':
      return block(input, submission, tally)
    case 'n':
      tally.skipped += 1
      return 'next'
    case 'q':
      return 'quit'
    default:
      input.output.write(
        `'${terminalSafe(answer.trim())}' is not one of a, r, s, b, k, n, q: type a letter and Enter\n`,
      )
      return 'again'
  }
}

/**
 * Asks for a reason: its text, `text` undefined when left empty (a required
 * one then cancels the action, said so), or null when nobody answered.
 */
async function askReason(
  input: InteractiveReviewInput,
  question: string,
  required: boolean,
): Promise<{ readonly text: string | undefined } | null> {
  const answer = await input.prompter.ask(question)
  if (answer === null) return null
  const text = answer.trim()
  if (text !== '') return { text }
  if (required) input.output.write('a reason is needed: nothing done\n')
  return { text: undefined }
}

/** Approve, reject or soft-reject; the walk moves on whatever came of it. */
async function decide(
  input: InteractiveReviewInput,
  action: ReviewAction,
  tally: ReviewTally,
): Promise<Step> {
  const failed = await send(input, action, tally)
  if (!failed) {
    tally.left -= 1
    if (action.kind === 'approve') tally.approved += 1
    else if (action.kind === 'reject') tally.rejected += 1
    else tally.softRejected += 1
  }
  return 'next'
}

/** Sends one review action and prints its outcome; true when it failed. */
async function send(
  input: InteractiveReviewInput,
  action: ReviewAction,
  tally: ReviewTally,
): Promise<boolean> {
  let report: Awaited<ReturnType<OperatorActions['reviewWithCurrency']>>
  try {
    report = await input.actions.reviewWithCurrency({ taskName: input.taskName, action })
  } catch (error) {
    // No credentials for the platform, say: shown, and the walk goes on.
    tally.failed += 1
    input.output.write(`${action.kind.replace('_', '-')}: FAILED: ${terminalSafe(String(error))}\n`)
    return true
  }
  const { outcomes, currency } = report
  input.output.write(formatReviewOutcomes(outcomes, action, currency))
  const failed = outcomes.some((outcome) => outcome.result === 'failed')
  if (failed) tally.failed += 1
  return failed
}

async function bonus(
  input: InteractiveReviewInput,
  target: string,
  tally: ReviewTally,
): Promise<Step> {
  const amount = await input.prompter.ask('amount (e.g. 1.50): ')
  if (amount === null) return 'again'
  let amountCents: number
  try {
    amountCents = parseMoney(amount)
  } catch (error) {
    input.output.write(`${terminalSafe((error as Error).message)}: no bonus paid\n`)
    return 'again'
  }
  if (amountCents === 0) {
    input.output.write('the amount must be more than 0: no bonus paid\n')
    return 'again'
  }
  const reason = await askReason(input, 'reason (the worker sees it): ', true)
  if (reason?.text === undefined) return 'again'
  if (!(await send(input, { kind: 'bonus', target, amountCents, reason: reason.text }, tally))) {
    tally.bonuses += 1
  }
  return 'again'
}

async function block(
  input: InteractiveReviewInput,
  submission: SubmissionExport,
  tally: ReviewTally,
): Promise<Step> {
  const reason = await askReason(input, 'reason for the block (optional): ', false)
  if (reason === null) return 'again'
  const report = await input.actions.blockWorker({
    workerId: submission.workerId,
    ...(reason.text === undefined ? {} : { reason: reason.text }),
  })
  const name = terminalSafe(submission.workerName)
  if (report.result === 'failed') {
    tally.failed += 1
    input.output.write(
      `block ${name}: FAILED: ${terminalSafe(report.platformNote ?? report.error ?? '')}\n`,
    )
    return 'again'
  }
  tally.blocked += 1
  input.output.write(
    `${report.result === 'done' ? 'blocked' : 'already blocked:'} ${name}` +
      `${report.platformNote === undefined ? '' : ` (${terminalSafe(report.platformNote)})`}\n`,
  )
  return 'again'
}

/** The closing line: what was done and how many units still await a decision. */
export function formatTally(tally: ReviewTally): string {
  const parts = [
    `${String(tally.approved)} approved`,
    `${String(tally.rejected)} rejected`,
    `${String(tally.softRejected)} soft-rejected`,
    `${String(tally.bonuses)} bonuses`,
    `${String(tally.blocked)} blocked`,
    `${String(tally.skipped)} skipped`,
    `${String(tally.failed)} failed`,
  ]
  return `review: ${parts.join(', ')}; ${String(tally.left)} still pending\n`
}
