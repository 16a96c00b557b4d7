import {
  AssociateQualificationWithWorkerCommand,
  CreateWorkerBlockCommand,
  DeleteWorkerBlockCommand,
  DisassociateQualificationFromWorkerCommand,
  NotifyWorkersCommand,
  type MTurkClient,
} from '@aws-sdk/client-mturk'
import { ProviderError } from '../../util/backend-error.js'
import { call } from './mturk-call.js'
import type { QualificationTypes } from './mturk-qualifications.js'

// Qualifications (one MTurk qualification type per Faust name), blocks
// (CreateWorkerBlock: MTurk keeps the worker off every HIT of the requester)
// and messages (NotifyWorkers).

export class MturkWorkerActions {
  readonly #client: MTurkClient
  readonly #qualifications: QualificationTypes

  constructor(client: MTurkClient, qualifications: QualificationTypes) {
    this.#client = client
    this.#qualifications = qualifications
  }

  async setQualification(workerId: string, name: string, value: number | null): Promise<void> {
    if (value !== null && !Number.isSafeInteger(value)) {
      throw new ProviderError(
        'PROVIDER_REQUEST_INVALID',
        `MTurk qualification values are integers, got ${value}`,
      )
    }
    const typeId = await this.#qualifications.idOf(name)
    if (value === null) {
      const command = new DisassociateQualificationFromWorkerCommand({
        QualificationTypeId: typeId,
        WorkerId: workerId,
        Reason: 'revoked by the requester',
      })
      await call('DisassociateQualificationFromWorker', () => this.#client.send(command))
      return
    }
    const command = new AssociateQualificationWithWorkerCommand({
      QualificationTypeId: typeId,
      WorkerId: workerId,
      IntegerValue: value,
      SendNotification: false,
    })
    await call('AssociateQualificationWithWorker', () => this.#client.send(command))
  }

  async block(workerId: string, reason: string): Promise<void> {
    // MTurk requires a reason; the worker does not see it.
    const command = new CreateWorkerBlockCommand({
      WorkerId: workerId,
      Reason: reason === '' ? 'blocked' : reason,
    })
    await call('CreateWorkerBlock', () => this.#client.send(command))
  }

  async unblock(workerId: string): Promise<void> {
    const command = new DeleteWorkerBlockCommand({
      WorkerId: workerId,
      Reason: 'unblocked by the requester',
    })
    await call('DeleteWorkerBlock', () => this.#client.send(command))
  }

  async message(workerId: string, subject: string, body: string): Promise<void> {
    const command = new NotifyWorkersCommand({
      Subject: subject,
      MessageText: body,
      WorkerIds: [workerId],
    })
    const answer = await call('NotifyWorkers', () => this.#client.send(command))
    const failure = answer.NotifyWorkersFailureStatuses?.[0]
    if (failure !== undefined) {
      throw new ProviderError(
        'PROVIDER_REQUEST_INVALID',
        `MTurk NotifyWorkers: ${failure.NotifyWorkersFailureMessage ?? 'refused'}`,
        { providerCode: failure.NotifyWorkersFailureCode },
      )
    }
  }
}
