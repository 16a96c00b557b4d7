import { requestError } from './mturk-fault.js'
import {
  optionalInteger,
  optionalString,
  page,
  requiredString,
  type Params,
} from './mturk-params.js'
import { mturkId, type FakeMturkState, type FakeQualificationType } from './fake-mturk-state.js'

// Qualification types and scores, worker blocks and notifications:
// CreateQualificationType, ListQualificationTypes,
// AssociateQualificationWithWorker, DisassociateQualificationFromWorker,
// CreateWorkerBlock, DeleteWorkerBlock, NotifyWorkers.

function qualificationTypeView(type: FakeQualificationType) {
  return {
    ...type,
    CreationTime: type.CreationTime / 1000,
    IsRequestable: false,
    AutoGranted: false,
  }
}

function knownType(state: FakeMturkState, params: Params): string {
  const typeId = requiredString(params, 'QualificationTypeId')
  if (!state.qualificationTypes.has(typeId)) {
    throw requestError(
      `QualificationType ${typeId} does not exist.`,
      'AWS.MechanicalTurk.QualificationTypeDoesNotExist',
    )
  }
  return typeId
}

export const workerOperations = {
  CreateQualificationType(state: FakeMturkState, params: Params) {
    const name = requiredString(params, 'Name')
    const description = requiredString(params, 'Description', 2000)
    const status = requiredString(params, 'QualificationTypeStatus')
    if (status !== 'Active' && status !== 'Inactive')
      throw requestError('QualificationTypeStatus must be Active or Inactive')
    if ([...state.qualificationTypes.values()].some((type) => type.Name === name)) {
      throw requestError(
        "You have already created a QualificationType with this name. A QualificationType's name must be unique among all of the QualificationTypes created by the same user.",
        'AWS.MechanicalTurk.QualificationTypeAlreadyExists',
      )
    }
    const type = {
      QualificationTypeId: mturkId(),
      Name: name,
      Description: description,
      QualificationTypeStatus: status,
      CreationTime: state.now(),
    }
    state.qualificationTypes.set(type.QualificationTypeId, type)
    return { QualificationType: qualificationTypeView(type) }
  },

  ListQualificationTypes(state: FakeMturkState, params: Params, pageSize: number) {
    if (typeof params['MustBeRequestable'] !== 'boolean') {
      throw requestError(
        "Value null at 'MustBeRequestable' failed to satisfy constraint: Member must not be null",
      )
    }
    const query = optionalString(params, 'Query')?.toLowerCase()
    // Query searches names and descriptions ("a text query against all of the searchable attributes").
    const matching = [...state.qualificationTypes.values()].filter(
      (type) =>
        params['MustBeRequestable'] === false &&
        (query === undefined ||
          type.Name.toLowerCase().includes(query) ||
          type.Description.toLowerCase().includes(query)),
    )
    const { items, nextToken } = page(params, matching, pageSize)
    return {
      NextToken: nextToken,
      NumResults: items.length,
      QualificationTypes: items.map(qualificationTypeView),
    }
  },

  AssociateQualificationWithWorker(state: FakeMturkState, params: Params) {
    const typeId = knownType(state, params)
    const workerId = requiredString(params, 'WorkerId')
    const value = optionalInteger(params, 'IntegerValue', -2_147_483_648, 2_147_483_647, 1)
    state.scores.set(`${typeId} ${workerId}`, value)
    return {}
  },

  // Revoking a qualification the worker does not hold is answered with
  // success here; the reference does not say otherwise.
  DisassociateQualificationFromWorker(state: FakeMturkState, params: Params) {
    const typeId = knownType(state, params)
    const workerId = requiredString(params, 'WorkerId')
    optionalString(params, 'Reason')
    state.scores.delete(`${typeId} ${workerId}`)
    return {}
  },

  CreateWorkerBlock(state: FakeMturkState, params: Params) {
    const workerId = requiredString(params, 'WorkerId')
    state.blocks.set(workerId, requiredString(params, 'Reason'))
    return {}
  },

  DeleteWorkerBlock(state: FakeMturkState, params: Params) {
    const workerId = requiredString(params, 'WorkerId')
    optionalString(params, 'Reason')
    state.blocks.delete(workerId)
    return {}
  },

  NotifyWorkers(state: FakeMturkState, params: Params) {
    const subject = requiredString(params, 'Subject', 200)
    const text = requiredString(params, 'MessageText', 4096)
    const workers = params['WorkerIds']
    if (
      !Array.isArray(workers) ||
      workers.length === 0 ||
      workers.length > 100 ||
      workers.some((w) => typeof w !== 'string')
    ) {
      throw requestError('WorkerIds must list 1 to 100 worker ids')
    }
    state.notifications.push({
      Subject: subject,
      MessageText: text,
      WorkerIds: workers as string[],
    })
    return { NotifyWorkersFailureStatuses: [] }
  },
}
