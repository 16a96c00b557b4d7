import type { Logger } from '@faust/protocol'
import { ProviderError } from '../../util/backend-error.js'
import type { ProviderIdentity } from '../provider-platform.js'
import { isRecord } from './prolific-client.js'
import type { ProlificClient } from './prolific-client.js'

// Bonuses go through Prolific's two calls
// (https://docs.prolific.com/api-reference/bonuses/create-bonus-payments and
// .../pay-bonus-payments): `POST /api/v1/submissions/bonus-payments/` sets up a
// bulk bonus from CSV `<submission_id>,<amount>` (amount in the study's
// currency as a decimal) and pays nothing; `POST
// /api/v1/bulk-bonus-payments/{id}/pay/` pays it and "is not idempotent:
// sending multiple requests with the same bulk bonus payment ID will result
// in participants being paid multiple times". Prolific takes no idempotency
// key, so the key is honoured here:
// - the set-up call is harmless and retried freely (a lost answer leaves an
//   unpaid bulk bonus behind, never a payment);
// - the pay call is sent at most once per key by this process, and is never
//   retried once it may have left (only a refused connection is retried);
// - what was paid is read back from the submission's `bonus_payments` (cents,
//   https://docs.prolific.com/api-reference/submissions/get-submission), both
//   to confirm a pay whose answer was lost and, for a key this process has not
//   seen (a restart after a crash), to skip a bonus of the same amount the
//   submission already has. So one submission is never paid the same amount
//   twice through Faust; docs/providers.md states the limit.

interface LedgerEntry {
  readonly key: string
  readonly amountCents: number
  bulkId: string | null
  paySent: boolean
  /** How many bonuses of this amount the submission had before the pay. */
  before: number
  done: boolean
}

/** The bonus half of the Prolific platform. */
export class ProlificBonuses {
  readonly #ledger = new Map<string, LedgerEntry>()

  constructor(
    private readonly client: ProlificClient,
    private readonly logger: Logger,
  ) {}

  async pay(attempt: ProviderIdentity, key: string, amountCents: number): Promise<void> {
    if (!Number.isInteger(amountCents) || amountCents <= 0) {
      throw new ProviderError(
        'PROVIDER_REQUEST_INVALID',
        `A bonus must be a positive whole number of cents (got ${amountCents})`,
      )
    }
    let entry = this.#ledger.get(key)
    if (entry?.done === true) return
    if (entry === undefined) {
      const before = await this.#paidCount(attempt.attemptId, amountCents)
      if (before > 0) {
        this.logger.info(
          { attemptId: attempt.attemptId, amountCents, key },
          'Prolific: the submission already has this bonus; not paying again',
        )
        this.#ledger.set(key, { key, amountCents, bulkId: null, paySent: true, before, done: true })
        return
      }
      entry = { key, amountCents, bulkId: null, paySent: false, before, done: false }
      this.#ledger.set(key, entry)
    }
    if (entry.paySent) return this.#confirm(attempt, entry)
    entry.bulkId ??= await this.#setUp(attempt, amountCents)
    entry.paySent = true
    try {
      await this.client.request(
        'POST',
        `/api/v1/bulk-bonus-payments/${encodeURIComponent(entry.bulkId)}/pay/`,
        { retry: false },
      )
    } catch (error) {
      // Rate limited throughout (429): Prolific never acted, so nothing was paid.
      if (
        error instanceof ProviderError &&
        error.code === 'PROVIDER_UNAVAILABLE' &&
        error.status !== 429
      ) {
        return this.#confirm(attempt, entry)
      }
      // A definite refusal (4xx): nothing was paid, so a later call may try again.
      entry.paySent = false
      throw error
    }
    entry.done = true
  }

  async #setUp(attempt: ProviderIdentity, amountCents: number): Promise<string> {
    const created = await this.client.request('POST', '/api/v1/submissions/bonus-payments/', {
      body: {
        study_id: attempt.placeId,
        csv_bonuses: `${attempt.attemptId},${(amountCents / 100).toFixed(2)}\n`,
      },
    })
    if (!isRecord(created) || typeof created['id'] !== 'string') {
      throw new ProviderError('PROVIDER_RESPONSE_INVALID', 'Prolific set up a bonus without an id')
    }
    return created['id']
  }

  /** After a pay whose answer was lost: done if the submission shows it, never paid again. */
  async #confirm(attempt: ProviderIdentity, entry: LedgerEntry): Promise<void> {
    const now = await this.#paidCount(attempt.attemptId, entry.amountCents)
    if (now > entry.before) {
      entry.done = true
      return
    }
    throw new ProviderError(
      'PROVIDER_CONFLICT',
      `Prolific bonus ${entry.key}: the pay call's outcome is unknown and the submission shows no such bonus yet; ` +
        'it is not sent again (Prolific pays asynchronously and its pay call is not idempotent): check the study on Prolific',
    )
  }

  async #paidCount(submissionId: string, amountCents: number): Promise<number> {
    const submission = await this.client.request(
      'GET',
      `/api/v1/submissions/${encodeURIComponent(submissionId)}/`,
    )
    const payments = isRecord(submission) ? submission['bonus_payments'] : undefined
    if (!Array.isArray(payments)) return 0
    return payments.filter((paid) => typeof paid === 'number' && Math.round(paid) === amountCents)
      .length
  }
}
