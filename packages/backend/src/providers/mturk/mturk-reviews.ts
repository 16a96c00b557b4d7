import {
  ApproveAssignmentCommand,
  GetAssignmentCommand,
  RejectAssignmentCommand,
  SendBonusCommand,
  paginateListBonusPayments,
  type MTurkClient,
} from '@aws-sdk/client-mturk'
import { ProviderError } from '../../util/backend-error.js'
import type { ProviderAttempt, ProviderIdentity } from '../provider-platform.js'
import { attemptOf } from './mturk-hits.js'
import { call } from './mturk-call.js'
import { mturkError } from './mturk-errors.js'
import { centsToDollars, dollarsToCents } from './mturk-money.js'

// Reviews and bonuses. ApproveAssignment and RejectAssignment have no
// idempotency token: a repeat after a lost answer is refused (RequestError,
// the assignment is no longer Submitted), so a refusal is checked against the
// assignment's status before it counts as a failure. SendBonus has
// UniqueRequestToken (the action's key): MTurk answers a repeat with an error
// instead of paying again, so a refused bonus whose twin (same worker, amount
// and reason) is among the assignment's bonus payments counts as paid.

export class MturkReviews {
  readonly #client: MTurkClient

  constructor(client: MTurkClient) {
    this.#client = client
  }

  approve(attempt: ProviderIdentity): Promise<void> {
    const command = new ApproveAssignmentCommand({ AssignmentId: attempt.attemptId })
    return this.#review(attempt, 'Approved', { operation: 'ApproveAssignment', command })
  }

  reject(attempt: ProviderIdentity, request: { readonly reason: string }): Promise<void> {
    const command = new RejectAssignmentCommand({
      AssignmentId: attempt.attemptId,
      RequesterFeedback: request.reason,
    })
    return this.#review(attempt, 'Rejected', { operation: 'RejectAssignment', command })
  }

  async bonus(
    attempt: ProviderIdentity,
    request: { readonly key: string; readonly amountCents: number; readonly reason: string },
  ): Promise<void> {
    if (request.key.length === 0 || request.key.length > 64) {
      throw new ProviderError(
        'PROVIDER_REQUEST_INVALID',
        'a bonus key must be 1 to 64 characters (UniqueRequestToken)',
      )
    }
    const amount = centsToDollars(request.amountCents)
    const command = new SendBonusCommand({
      WorkerId: attempt.workerId,
      AssignmentId: attempt.attemptId,
      BonusAmount: amount,
      Reason: request.reason,
      UniqueRequestToken: request.key,
    })
    try {
      await call('SendBonus', () => this.#client.send(command))
    } catch (error) {
      if (!(error instanceof ProviderError) || error.code !== 'PROVIDER_REQUEST_INVALID')
        throw error
      if (!(await this.#alreadyPaid(attempt, request.amountCents, request.reason))) throw error
    }
  }

  async #review(
    attempt: ProviderIdentity,
    done: string,
    {
      operation,
      command,
    }: { operation: string; command: ApproveAssignmentCommand | RejectAssignmentCommand },
  ): Promise<void> {
    try {
      // The two commands' outputs are both empty; send through one signature.
      await call(operation, () => this.#client.send(command as ApproveAssignmentCommand))
    } catch (error) {
      if (!(error instanceof ProviderError) || error.code !== 'PROVIDER_REQUEST_INVALID')
        throw error
      const status = await this.#statusOf(attempt.attemptId).catch(() => undefined)
      if (status === done) return
      throw new ProviderError(
        'PROVIDER_CONFLICT',
        `${error.message} (assignment is ${status ?? 'not visible'})`,
        {
          cause: error,
          status: error.status,
          providerCode: error.providerCode,
        },
      )
    }
  }

  /** The assignment as MTurk has it now; null when MTurk says it does not exist (one in progress). */
  async getAttempt(attempt: ProviderIdentity): Promise<ProviderAttempt | null> {
    const command = new GetAssignmentCommand({ AssignmentId: attempt.attemptId })
    try {
      const answer = await call('GetAssignment', () => this.#client.send(command))
      return answer.Assignment === undefined ? null : attemptOf(answer.Assignment)
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'PROVIDER_NOT_FOUND') return null
      throw error
    }
  }

  async #statusOf(assignmentId: string): Promise<string | undefined> {
    const command = new GetAssignmentCommand({ AssignmentId: assignmentId })
    const answer = await call('GetAssignment', () => this.#client.send(command))
    return answer.Assignment?.AssignmentStatus
  }

  async #alreadyPaid(
    attempt: ProviderIdentity,
    amountCents: number,
    reason: string,
  ): Promise<boolean> {
    const pages = paginateListBonusPayments(
      { client: this.#client, pageSize: 100 },
      { AssignmentId: attempt.attemptId },
    )
    try {
      for await (const page of pages) {
        const twin = page.BonusPayments?.find(
          (bonus) =>
            bonus.WorkerId === attempt.workerId &&
            bonus.Reason === reason &&
            dollarsToCents(bonus.BonusAmount ?? '') === amountCents,
        )
        if (twin !== undefined) return true
      }
      return false
    } catch (error) {
      throw mturkError('ListBonusPayments', error)
    }
  }
}
