import { requestError } from './mturk-fault.js'
import {
  centsToDollars,
  dollars,
  optionalString,
  page,
  requiredString,
  type Params,
} from './mturk-params.js'
import { commissionCents, type FakeAssignment, type FakeMturkState } from './fake-mturk-state.js'
import { hitView } from './fake-mturk-hits.js'

// Assignments, reviews and bonuses: ListAssignmentsForHIT, GetAssignment,
// ApproveAssignment, RejectAssignment, SendBonus, ListBonusPayments,
// GetAccountBalance (MTurk API reference, 2017-01-17).

const LISTED = ['Submitted', 'Approved', 'Rejected']
const seconds = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000

function answerXml(answers: Readonly<Record<string, string>>): string {
  const escape = (text: string): string =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const fields = Object.entries(answers)
    .map(
      ([name, value]) =>
        `<Answer><QuestionIdentifier>${escape(name)}</QuestionIdentifier><FreeText>${escape(value)}</FreeText></Answer>`,
    )
    .join('')
  return `<?xml version="1.0" encoding="ASCII"?><QuestionFormAnswers xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd">${fields}</QuestionFormAnswers>`
}

export function assignmentView(assignment: FakeAssignment): Record<string, unknown> {
  return {
    AssignmentId: assignment.AssignmentId,
    WorkerId: assignment.WorkerId,
    HITId: assignment.HITId,
    AssignmentStatus: assignment.state,
    AutoApprovalTime: seconds(assignment.AutoApprovalTime),
    AcceptTime: seconds(assignment.AcceptTime),
    SubmitTime: seconds(assignment.SubmitTime),
    ApprovalTime: seconds(assignment.ApprovalTime),
    RejectionTime: seconds(assignment.RejectionTime),
    Deadline: seconds(assignment.deadline),
    Answer: assignment.answers === undefined ? undefined : answerXml(assignment.answers),
    RequesterFeedback: assignment.RequesterFeedback,
  }
}

function refuseUnless(assignment: FakeAssignment, allowed: readonly string[]): void {
  if (!allowed.includes(assignment.state)) {
    throw requestError(
      `This operation can be called with a status of: ${allowed.join(', ')} (assignment ${assignment.AssignmentId} is ${assignment.state})`,
      'AWS.MechanicalTurk.InvalidAssignmentState',
    )
  }
}

/** An assignment the requester can see (MTurk does not show one in progress, returned or abandoned). */
function visible(state: FakeMturkState, assignmentId: string): FakeAssignment {
  const assignment = state.assignment(assignmentId)
  if (!LISTED.includes(assignment.state)) {
    throw requestError(
      `Assignment ${assignmentId} does not exist.`,
      'AWS.MechanicalTurk.AssignmentDoesNotExist',
    )
  }
  return assignment
}

export const assignmentOperations = {
  ListAssignmentsForHIT(state: FakeMturkState, params: Params, pageSize: number) {
    const hit = state.hit(requiredString(params, 'HITId'))
    const statuses = params['AssignmentStatuses'] ?? LISTED
    if (!Array.isArray(statuses) || statuses.some((status) => !LISTED.includes(status as string))) {
      throw requestError('AssignmentStatuses must be a list of Submitted, Approved, Rejected')
    }
    const own = state.assignmentsOf(hit.HITId).filter((a) => statuses.includes(a.state))
    const { items, nextToken } = page(params, own, pageSize)
    return {
      NextToken: nextToken,
      NumResults: items.length,
      Assignments: items.map(assignmentView),
    }
  },

  GetAssignment(state: FakeMturkState, params: Params) {
    const assignment = visible(state, requiredString(params, 'AssignmentId'))
    return {
      Assignment: assignmentView(assignment),
      HIT: hitView(state, state.hit(assignment.HITId)),
    }
  },

  ApproveAssignment(state: FakeMturkState, params: Params) {
    const assignment = state.assignment(requiredString(params, 'AssignmentId'))
    const override = params['OverrideRejection'] === true
    refuseUnless(assignment, override ? ['Submitted', 'Rejected'] : ['Submitted'])
    state.pay(assignment)
    assignment.state = 'Approved'
    assignment.ApprovalTime = state.now()
    const feedback = optionalString(params, 'RequesterFeedback', 1024)
    if (feedback !== undefined) assignment.RequesterFeedback = feedback
    return {}
  },

  RejectAssignment(state: FakeMturkState, params: Params) {
    const assignment = state.assignment(requiredString(params, 'AssignmentId'))
    const feedback = requiredString(params, 'RequesterFeedback', 1024)
    refuseUnless(assignment, ['Submitted'])
    assignment.state = 'Rejected'
    assignment.RejectionTime = state.now()
    assignment.RequesterFeedback = feedback
    return {}
  },

  SendBonus(state: FakeMturkState, params: Params) {
    const workerId = requiredString(params, 'WorkerId')
    const bonusCents = dollars(params, 'BonusAmount', 1)
    const assignment = state.assignment(requiredString(params, 'AssignmentId'))
    const reason = requiredString(params, 'Reason', 4096)
    const token = optionalString(params, 'UniqueRequestToken', 64)
    // "If the bonus already exists in the system from a previous call using
    // the same UniqueRequestToken, subsequent calls will return an error with
    // a message containing the request ID."
    const earlier =
      token === undefined
        ? undefined
        : state.bonuses.find((bonus) => bonus.UniqueRequestToken === token)
    if (earlier !== undefined) {
      throw requestError(
        `The bonus for request token ${token} already exists (RequestId ${earlier.requestId}).`,
        'AWS.MechanicalTurk.DuplicateRequest',
      )
    }
    if (assignment.WorkerId !== workerId)
      throw requestError(`Assignment ${assignment.AssignmentId} is not the worker's`)
    refuseUnless(assignment, LISTED)
    state.charge(bonusCents + commissionCents(bonusCents))
    state.bonuses.push({
      WorkerId: workerId,
      AssignmentId: assignment.AssignmentId,
      bonusCents,
      Reason: reason,
      GrantTime: state.now(),
      UniqueRequestToken: token,
      requestId: state.currentRequestId,
    })
    return {}
  },

  ListBonusPayments(state: FakeMturkState, params: Params, pageSize: number) {
    const hitId = optionalString(params, 'HITId')
    const assignmentId = optionalString(params, 'AssignmentId')
    if ((hitId === undefined) === (assignmentId === undefined))
      throw requestError('Give exactly one of HITId and AssignmentId')
    const matching = state.bonuses.filter((bonus) =>
      assignmentId !== undefined
        ? bonus.AssignmentId === assignmentId
        : state.assignment(bonus.AssignmentId).HITId === hitId,
    )
    const { items, nextToken } = page(params, matching, pageSize)
    return {
      NextToken: nextToken,
      NumResults: items.length,
      BonusPayments: items.map((bonus) => ({
        WorkerId: bonus.WorkerId,
        BonusAmount: centsToDollars(bonus.bonusCents),
        AssignmentId: bonus.AssignmentId,
        Reason: bonus.Reason,
        GrantTime: bonus.GrantTime / 1000,
      })),
    }
  },

  GetAccountBalance(state: FakeMturkState) {
    return { AvailableBalance: centsToDollars(state.balanceCents), OnHoldBalance: '0.00' }
  },
}
