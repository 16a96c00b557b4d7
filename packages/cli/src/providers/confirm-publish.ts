import { createInterface } from 'node:readline'
import type { InputStream, OutputStream } from '../command-io.js'
import type { CostQuote } from './backend-api.js'
import { CliProviderError } from './provider-error.js'
import { formatMoney } from './provider-flags.js'
import { formatQuote, type QuoteSubject } from './quote-text.js'

/** The question asked on a terminal before anything is published. */
export const PUBLISH_QUESTION = 'Publish? [y/N] '

/** Options of {@link confirmPublish}. */
export interface ConfirmPublishOptions {
  readonly subject: QuoteSubject
  /** `--yes`: publish without asking. */
  readonly yes: boolean
  /** `--budget`, in cents: a quote over it is refused before anyone is asked. */
  readonly budgetCents: number | undefined
  /** Whether a person can answer (stdin is a terminal). */
  readonly interactive: boolean
  /** Asks the question and resolves with the answer (empty on Ctrl-C or end of input). */
  readonly ask: (question: string) => Promise<string>
  readonly output: OutputStream
}

/**
 * Shows the quote and decides whether to publish: refused over `--budget`
 * (before asking), yes with `--yes`, else the answer to `Publish? [y/N]` on
 * a terminal. Without a terminal and without `--yes` nobody can agree to
 * spend the money, so it refuses rather than waits.
 */
export async function confirmPublish(
  quote: CostQuote,
  options: ConfirmPublishOptions,
): Promise<boolean> {
  options.output.write(formatQuote(quote, options.subject))
  const money = (cents: number): string => `${formatMoney(cents)} ${quote.currency}`
  if (quote.rewardCents < 1) {
    // Platforms refuse a zero reward; say so before anyone is asked to agree to it.
    throw new CliProviderError(
      'REWARD_MISSING',
      'the task pays 0 per unit: set `pay` in defineTask (in the platform currency) before publishing; nothing was published',
    )
  }
  if (options.budgetCents !== undefined && quote.totalCents > options.budgetCents) {
    throw new CliProviderError(
      'BUDGET_EXCEEDED',
      `the total ${money(quote.totalCents)} is over --budget ${money(options.budgetCents)}: nothing was published`,
    )
  }
  if (options.yes) return true
  if (!options.interactive) {
    throw new CliProviderError(
      'CONFIRMATION_REQUIRED',
      'publishing costs money and stdin is not a terminal to confirm it: add --yes (and --budget to cap it); nothing was published',
    )
  }
  const answer = await options.ask(PUBLISH_QUESTION)
  if (isYes(answer)) return true
  options.output.write('Not published.\n')
  return false
}

/** `y` or `yes`, any case; anything else (Enter alone included) is no. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer)
}

/**
 * Asks one question on a terminal. Ctrl-C (which readline catches on a
 * terminal) and the end of input answer no, as does `stopped` resolving.
 */
export function askLine(
  question: string,
  streams: {
    readonly input: InputStream
    readonly output: NodeJS.WritableStream
    readonly stopped?: Promise<unknown> | undefined
  },
): Promise<string> {
  const { input, output, stopped } = streams
  return new Promise((resolve) => {
    const reader = createInterface({ input, output, terminal: input.isTTY === true })
    let answered = false
    const finish = (answer: string): void => {
      if (answered) return
      answered = true
      reader.close()
      resolve(answer)
    }
    reader.on('SIGINT', () => {
      output.write('\n')
      finish('')
    })
    reader.on('close', () => {
      finish('')
    })
    void stopped?.then(() => {
      finish('')
    })
    reader.question(question, finish)
  })
}
