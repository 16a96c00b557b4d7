import { randomBytes } from 'node:crypto'
import type { Clock } from '@faust/protocol'
import { requestError } from './mturk-fault.js'

// The requester account as MTurk keeps it: HIT types, HITs, assignments,
// bonuses, qualification types and scores, worker blocks, notifications and
// the balance. Time-driven changes (an accepted assignment past its duration
// is abandoned; a submitted one past the auto-approval delay is approved and
// paid) are applied lazily, whenever the state is read or changed.

/** Internal assignment states; MTurk lists only Submitted, Approved and Rejected. */
export type AssignmentState =
  'Accepted' | 'Submitted' | 'Approved' | 'Rejected' | 'Returned' | 'Abandoned'

export interface FakeHitType {
  readonly HITTypeId: string
  readonly Title: string
  readonly Description: string
  readonly Keywords: string
  readonly rewardCents: number
  readonly AssignmentDurationInSeconds: number
  readonly AutoApprovalDelayInSeconds: number
  readonly QualificationRequirements: readonly Requirement[]
}

export interface Requirement {
  readonly QualificationTypeId: string
  readonly Comparator: string
  readonly IntegerValues?: readonly number[]
}

export interface FakeHit {
  readonly HITId: string
  readonly HITTypeId: string
  readonly Question: string
  readonly externalUrl: string
  readonly MaxAssignments: number
  readonly RequesterAnnotation: string | undefined
  readonly CreationTime: number
  Expiration: number
  disposed: boolean
}

export interface FakeAssignment {
  readonly AssignmentId: string
  readonly WorkerId: string
  readonly HITId: string
  readonly AcceptTime: number
  readonly deadline: number
  state: AssignmentState
  SubmitTime?: number
  AutoApprovalTime?: number
  ApprovalTime?: number
  RejectionTime?: number
  RequesterFeedback?: string
  answers?: Readonly<Record<string, string>>
}

export interface FakeBonus {
  readonly WorkerId: string
  readonly AssignmentId: string
  readonly bonusCents: number
  readonly Reason: string
  readonly GrantTime: number
  readonly UniqueRequestToken: string | undefined
  /** The request that paid it (MTurk names it when a token is reused). */
  readonly requestId: string
}

export interface FakeQualificationType {
  readonly QualificationTypeId: string
  readonly Name: string
  readonly Description: string
  readonly QualificationTypeStatus: string
  readonly CreationTime: number
}

/** MTurk's ids are 30 upper-case letters and digits. */
export function mturkId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  return Array.from(randomBytes(30), (byte) => alphabet[byte % alphabet.length]).join('')
}

/** MTurk's commission: 20 % (the 40 % for 10+ assignments applies to HITs Faust never makes), at least $0.01. */
export function commissionCents(cents: number, maxAssignments = 1): number {
  const rate = maxAssignments >= 10 ? 0.4 : 0.2
  return Math.max(1, Math.round(cents * rate))
}

export class FakeMturkState {
  readonly clock: Clock
  readonly hitTypes = new Map<string, FakeHitType>()
  readonly hits = new Map<string, FakeHit>()
  readonly assignments = new Map<string, FakeAssignment>()
  readonly bonuses: FakeBonus[] = []
  readonly qualificationTypes = new Map<string, FakeQualificationType>()
  /** `<typeId> <workerId>` → IntegerValue. */
  readonly scores = new Map<string, number>()
  readonly blocks = new Map<string, string>()
  readonly notifications: { Subject: string; MessageText: string; WorkerIds: string[] }[] = []
  readonly hitTokens = new Map<string, string>()
  balanceCents: number
  /** The x-amzn-RequestId of the request being handled. */
  currentRequestId = ''

  constructor(clock: Clock, balanceCents: number) {
    this.clock = clock
    this.balanceCents = balanceCents
  }

  now(): number {
    return this.clock.now()
  }

  /** Applies what time did: abandoned assignments, auto-approvals. */
  settle(): void {
    const now = this.now()
    for (const assignment of this.assignments.values()) {
      if (assignment.state === 'Accepted' && assignment.deadline <= now)
        assignment.state = 'Abandoned'
      if (assignment.state === 'Submitted' && (assignment.AutoApprovalTime ?? Infinity) <= now) {
        this.pay(assignment)
        assignment.state = 'Approved'
        assignment.ApprovalTime = assignment.AutoApprovalTime ?? now
      }
    }
  }

  hit(hitId: string): FakeHit {
    const hit = this.hits.get(hitId)
    if (hit === undefined || hit.disposed)
      throw requestError(`Hit ${hitId} does not exist.`, 'AWS.MechanicalTurk.HITDoesNotExist')
    return hit
  }

  hitType(hit: FakeHit): FakeHitType {
    const type = this.hitTypes.get(hit.HITTypeId)
    if (type === undefined) throw new Error(`fake MTurk: HIT ${hit.HITId} has no type`)
    return type
  }

  assignment(assignmentId: string): FakeAssignment {
    const assignment = this.assignments.get(assignmentId)
    if (assignment === undefined) {
      throw requestError(
        `Assignment ${assignmentId} does not exist.`,
        'AWS.MechanicalTurk.AssignmentDoesNotExist',
      )
    }
    return assignment
  }

  assignmentsOf(hitId: string): FakeAssignment[] {
    return [...this.assignments.values()].filter((assignment) => assignment.HITId === hitId)
  }

  /** Counts and HITStatus as MTurk derives them for a HIT. */
  counts(hit: FakeHit): { pending: number; completed: number; available: number; status: string } {
    const own = this.assignmentsOf(hit.HITId)
    const pending = own.filter((a) => a.state === 'Accepted').length
    const completed = own.filter((a) =>
      ['Submitted', 'Approved', 'Rejected'].includes(a.state),
    ).length
    const available = Math.max(0, hit.MaxAssignments - pending - completed)
    const expired = hit.Expiration <= this.now()
    let status = 'Reviewable'
    if (hit.disposed) status = 'Disposed'
    else if (!expired && available > 0) status = 'Assignable'
    else if (pending > 0) status = 'Unassignable'
    return { pending, completed, available, status }
  }

  /** Charges the reward and commission of an approved assignment. */
  pay(assignment: FakeAssignment): void {
    const hit = this.hit(assignment.HITId)
    const reward = this.hitType(hit).rewardCents
    this.charge(reward + commissionCents(reward, hit.MaxAssignments))
  }

  charge(cents: number): void {
    if (cents > this.balanceCents) {
      throw requestError(
        'This Requester has insufficient funds in their account to complete this transaction.',
        'AWS.MechanicalTurk.InsufficientFunds',
      )
    }
    this.balanceCents -= cents
  }

  hasQualification(workerId: string, typeId: string): number | undefined {
    return this.scores.get(`${typeId} ${workerId}`)
  }

  /** Whether a worker meets a HIT type's QualificationRequirements. */
  qualifies(workerId: string, type: FakeHitType): boolean {
    return type.QualificationRequirements.every((requirement) => {
      const value = this.hasQualification(workerId, requirement.QualificationTypeId)
      const wanted = requirement.IntegerValues ?? []
      switch (requirement.Comparator) {
        case 'DoesNotExist':
          return value === undefined
        case 'Exists':
          return value !== undefined
        case 'EqualTo':
        case 'In':
          return value !== undefined && wanted.includes(value)
        case 'NotEqualTo':
        case 'NotIn':
          return value !== undefined && !wanted.includes(value)
        case 'GreaterThan':
          return value !== undefined && value > (wanted[0] ?? 0)
        case 'GreaterThanOrEqualTo':
          return value !== undefined && value >= (wanted[0] ?? 0)
        case 'LessThan':
          return value !== undefined && value < (wanted[0] ?? 0)
        case 'LessThanOrEqualTo':
          return value !== undefined && value <= (wanted[0] ?? 0)
        default:
          return false
      }
    })
  }
}
