import { requestError } from './mturk-fault.js'
import {
  centsToDollars,
  dollars,
  externalUrl,
  optionalInteger,
  optionalString,
  page,
  requiredInteger,
  requiredString,
  requiredTimestamp,
  type Params,
} from './mturk-params.js'
import { mturkId, type FakeHit, type FakeMturkState, type Requirement } from './fake-mturk-state.js'

// HIT types and HITs: CreateHITType, CreateHITWithHITType, GetHIT, ListHITs,
// UpdateExpirationForHIT, DeleteHIT (MTurk API reference, 2017-01-17).

const COMPARATORS = [
  'LessThan',
  'LessThanOrEqualTo',
  'GreaterThan',
  'GreaterThanOrEqualTo',
  'EqualTo',
  'NotEqualTo',
  'Exists',
  'DoesNotExist',
  'In',
  'NotIn',
]
const seconds = (ms: number): number => ms / 1000

function requirements(state: FakeMturkState, params: Params): Requirement[] {
  const list = params['QualificationRequirements'] ?? []
  if (!Array.isArray(list)) throw requestError('QualificationRequirements must be a list')
  return list.map((item: Params) => {
    const typeId = requiredString(item, 'QualificationTypeId')
    const comparator = requiredString(item, 'Comparator')
    if (!COMPARATORS.includes(comparator))
      throw requestError(`Comparator ${comparator} is not valid`)
    if (!state.qualificationTypes.has(typeId)) {
      throw requestError(
        `QualificationType ${typeId} does not exist.`,
        'AWS.MechanicalTurk.QualificationTypeDoesNotExist',
      )
    }
    const values = item['IntegerValues']
    return Array.isArray(values)
      ? { QualificationTypeId: typeId, Comparator: comparator, IntegerValues: values as number[] }
      : { QualificationTypeId: typeId, Comparator: comparator }
  })
}

/** The HIT as MTurk returns it (timestamps in epoch seconds). */
export function hitView(state: FakeMturkState, hit: FakeHit): Record<string, unknown> {
  const type = state.hitType(hit)
  const counts = state.counts(hit)
  return {
    HITId: hit.HITId,
    HITTypeId: hit.HITTypeId,
    HITGroupId: hit.HITTypeId,
    CreationTime: seconds(hit.CreationTime),
    Title: type.Title,
    Description: type.Description,
    Question: hit.Question,
    Keywords: type.Keywords,
    HITStatus: counts.status,
    MaxAssignments: hit.MaxAssignments,
    Reward: centsToDollars(type.rewardCents),
    AutoApprovalDelayInSeconds: type.AutoApprovalDelayInSeconds,
    Expiration: seconds(hit.Expiration),
    AssignmentDurationInSeconds: type.AssignmentDurationInSeconds,
    RequesterAnnotation: hit.RequesterAnnotation,
    QualificationRequirements: type.QualificationRequirements,
    HITReviewStatus: 'NotReviewed',
    NumberOfAssignmentsPending: counts.pending,
    NumberOfAssignmentsAvailable: counts.available,
    NumberOfAssignmentsCompleted: counts.completed,
  }
}

export const hitOperations = {
  CreateHITType(state: FakeMturkState, params: Params) {
    const fields = {
      Title: requiredString(params, 'Title', 128),
      Description: requiredString(params, 'Description', 2000),
      Keywords: optionalString(params, 'Keywords', 1000) ?? '',
      rewardCents: dollars(params, 'Reward', 1),
      AssignmentDurationInSeconds: requiredInteger(
        params,
        'AssignmentDurationInSeconds',
        30,
        31_536_000,
      ),
      AutoApprovalDelayInSeconds: optionalInteger(
        params,
        'AutoApprovalDelayInSeconds',
        0,
        2_592_000,
        2_592_000,
      ),
      QualificationRequirements: requirements(state, params),
    }
    // "If you register a HIT type with values that match an existing HIT
    // type, the HIT type ID of the existing type will be returned."
    const same = [...state.hitTypes.values()].find(
      (type) =>
        JSON.stringify({ ...type, HITTypeId: '' }) === JSON.stringify({ HITTypeId: '', ...fields }),
    )
    if (same !== undefined) return { HITTypeId: same.HITTypeId }
    const HITTypeId = mturkId()
    state.hitTypes.set(HITTypeId, { HITTypeId, ...fields })
    return { HITTypeId }
  },

  CreateHITWithHITType(state: FakeMturkState, params: Params) {
    const typeId = requiredString(params, 'HITTypeId')
    if (!state.hitTypes.has(typeId))
      throw requestError(
        `HITType ${typeId} does not exist.`,
        'AWS.MechanicalTurk.HITTypeDoesNotExist',
      )
    const question = requiredString(params, 'Question', 131_072)
    const url = externalUrl(question)
    const lifetime = requiredInteger(params, 'LifetimeInSeconds', 30, 31_536_000)
    const maxAssignments = optionalInteger(params, 'MaxAssignments', 1, 1_000_000, 1)
    const annotation = optionalString(params, 'RequesterAnnotation', 255)
    const token = optionalString(params, 'UniqueRequestToken', 64)
    if (token !== undefined && state.hitTokens.has(token)) {
      throw requestError(
        `The HIT with ID "${state.hitTokens.get(token) ?? ''}" already exists. (UniqueRequestToken ${token})`,
        'AWS.MechanicalTurk.HITAlreadyExists',
      )
    }
    const now = state.now()
    const hit: FakeHit = {
      HITId: mturkId(),
      HITTypeId: typeId,
      Question: question,
      externalUrl: url,
      MaxAssignments: maxAssignments,
      RequesterAnnotation: annotation,
      CreationTime: now,
      Expiration: now + lifetime * 1000,
      disposed: false,
    }
    state.hits.set(hit.HITId, hit)
    if (token !== undefined) state.hitTokens.set(token, hit.HITId)
    return { HIT: hitView(state, hit) }
  },

  GetHIT(state: FakeMturkState, params: Params) {
    return { HIT: hitView(state, state.hit(requiredString(params, 'HITId'))) }
  },

  ListHITs(state: FakeMturkState, params: Params, pageSize: number) {
    const all = [...state.hits.values()].filter((hit) => !hit.disposed)
    const { items, nextToken } = page(params, all, pageSize)
    return {
      NextToken: nextToken,
      NumResults: items.length,
      HITs: items.map((hit) => hitView(state, hit)),
    }
  },

  UpdateExpirationForHIT(state: FakeMturkState, params: Params) {
    const hit = state.hit(requiredString(params, 'HITId'))
    const expireAt = requiredTimestamp(params, 'ExpireAt')
    // A time in the past expires the HIT at once.
    hit.Expiration = Math.max(state.now(), expireAt)
    return {}
  },

  DeleteHIT(state: FakeMturkState, params: Params) {
    const hit = state.hit(requiredString(params, 'HITId'))
    const counts = state.counts(hit)
    const unreviewed = state.assignmentsOf(hit.HITId).some((a) => a.state === 'Submitted')
    if (counts.status === 'Assignable' || counts.pending > 0 || unreviewed) {
      throw requestError(
        'This HIT is currently in the state "' +
          counts.status +
          '". This operation can be called with a status of: Reviewing, Reviewable',
        'AWS.MechanicalTurk.InvalidHITState',
      )
    }
    hit.disposed = true
    return {}
  },
}
