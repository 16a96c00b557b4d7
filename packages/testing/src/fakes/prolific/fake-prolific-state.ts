import { randomBytes } from 'node:crypto'
import type { Clock } from '@faust/protocol'
import { PROLIFIC_REJECTION_CATEGORIES } from '@faust/backend'

// The fake Prolific's objects and their state machines, modelled on the API
// reference (https://docs.prolific.com/api-reference/studies/the-study-object
// for study statuses; .../submissions/transition-submission for what may be
// approved or rejected; .../bonuses for set-up and pay) and on Prolific's
// help centre (a study whose places are all awaiting review pauses itself
// when one of them is returned or rejected).

/** A refusal the HTTP layer answers with `status` and Prolific's error shape. */
export class FakeProlificError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export interface FakeStudy {
  id: string
  name: string
  internal_name: string
  description: string
  external_study_url: string
  prolific_id_option: string
  completion_codes: { code: string; code_type: string; actions: { action: string }[] }[]
  total_available_places: number
  estimated_completion_time: number
  maximum_allowed_time: number | null
  reward: number
  filters: { filter_id: string; selected_values: string[] }[]
  project: string | null
  status: string
  date_created: string
}

export interface FakeSubmission {
  id: string
  study_id: string
  participant_id: string
  status: string
  started_at: string
  completed_at: string | null
  entered_code: string | null
  bonus_payments: number[]
  rejection_category: string | null
  message: string | null
}

export interface FakeBonus {
  id: string
  study: string
  /** Submission or participant id → amount in cents. */
  entries: { id: string; cents: number }[]
  /** How many times `pay` was called (Prolific's pay is not idempotent: each call pays). */
  paidTimes: number
}

export interface FakeGroup {
  id: string
  name: string
  workspace_id: string
  description: string
  participants: Set<string>
  is_deleted: boolean
}

export interface FakeMessage {
  recipient_id: string
  study_id: string
  body: string
}

/** Submission statuses whose place is free again. */
const FREED = new Set(['RETURNED', 'TIMED-OUT', 'REJECTED', 'SCREENED OUT'])

// The categories Prolific documents, as the client knows them.
export const REJECTION_CATEGORIES: ReadonlySet<string> = new Set(PROLIFIC_REJECTION_CATEGORIES)

/** Prolific ids are 24 hex characters (Mongo object ids). */
export function objectId(): string {
  return randomBytes(12).toString('hex')
}

/** Everything the fake knows, with Prolific's rules. */
export class FakeProlificState {
  readonly studies = new Map<string, FakeStudy>()
  readonly submissions = new Map<string, FakeSubmission>()
  readonly bonuses = new Map<string, FakeBonus>()
  readonly groups = new Map<string, FakeGroup>()
  readonly messages: FakeMessage[] = []

  constructor(private readonly clock: Clock) {}

  iso(): string {
    return new Date(this.clock.now()).toISOString()
  }

  study(id: string): FakeStudy {
    const study = this.studies.get(id)
    if (study === undefined) throw new FakeProlificError(404, `Study ${id} not found`)
    return study
  }

  submission(id: string): FakeSubmission {
    const submission = this.submissions.get(id)
    if (submission === undefined) throw new FakeProlificError(404, `Submission ${id} not found`)
    return submission
  }

  submissionsOf(studyId: string): FakeSubmission[] {
    return [...this.submissions.values()].filter((submission) => submission.study_id === studyId)
  }

  /** Places held: every submission whose place was not given back. */
  taken(studyId: string): number {
    return this.submissionsOf(studyId).filter((submission) => !FREED.has(submission.status)).length
  }

  /** PUBLISH, PAUSE, START, STOP (POST /api/v1/studies/{id}/transition/). */
  transitionStudy(id: string, action: string): FakeStudy {
    const study = this.study(id)
    const from: Record<string, readonly string[]> = {
      PUBLISH: ['UNPUBLISHED'],
      PAUSE: ['ACTIVE'],
      START: ['PAUSED'],
      STOP: ['ACTIVE', 'PAUSED', 'SCHEDULED'],
    }
    const allowed = from[action]
    if (allowed === undefined) throw new FakeProlificError(400, `Unknown study action ${action}`)
    if (!allowed.includes(study.status)) {
      throw new FakeProlificError(400, `Cannot ${action} a study in status ${study.status}`)
    }
    if (action === 'STOP') study.status = this.#reviewStatus(study)
    else if (action === 'PAUSE') study.status = 'PAUSED'
    else {
      study.status = 'ACTIVE'
      this.#settle(study)
    }
    return study
  }

  /** PATCH: a draft may change anything; a published study only grows its places or renames. */
  updateStudy(id: string, changes: Record<string, unknown>): FakeStudy {
    const study = this.study(id)
    if (study.status !== 'UNPUBLISHED') {
      const others = Object.keys(changes).filter(
        (key) => key !== 'total_available_places' && key !== 'internal_name',
      )
      if (others.length > 0)
        throw new FakeProlificError(400, `Cannot change ${others.join(', ')} after publishing`)
    }
    const places = changes['total_available_places']
    if (places !== undefined) {
      if (!Number.isInteger(places) || (places as number) < 1) {
        throw new FakeProlificError(400, 'total_available_places must be a positive integer')
      }
      if (study.status !== 'UNPUBLISHED' && (places as number) < study.total_available_places) {
        throw new FakeProlificError(
          400,
          'total_available_places can only be increased on a published study',
        )
      }
      study.total_available_places = places as number
      // More places re-open a study that had filled up (AWAITING REVIEW / COMPLETED).
      if (
        ['AWAITING REVIEW', 'COMPLETED'].includes(study.status) &&
        study.total_available_places > this.taken(id)
      ) {
        study.status = 'ACTIVE'
      }
    }
    if (typeof changes['internal_name'] === 'string') study.internal_name = changes['internal_name']
    return study
  }

  /** A participant starts: needs an ACTIVE study with a free place; one submission per participant. */
  take(studyId: string, participantId: string): FakeSubmission {
    const study = this.study(studyId)
    if (study.status !== 'ACTIVE')
      throw new FakeProlificError(409, `Study ${studyId} is ${study.status}`)
    if (this.taken(studyId) >= study.total_available_places) {
      throw new FakeProlificError(409, `Study ${studyId} has no free place`)
    }
    if (
      this.submissionsOf(studyId).some((submission) => submission.participant_id === participantId)
    ) {
      throw new FakeProlificError(
        409,
        `Participant ${participantId} already took part in ${studyId}`,
      )
    }
    if (this.#blocked(study, participantId))
      throw new FakeProlificError(403, `Participant ${participantId} is not eligible`)
    const submission: FakeSubmission = {
      id: objectId(),
      study_id: studyId,
      participant_id: participantId,
      status: 'ACTIVE',
      started_at: this.iso(),
      completed_at: null,
      entered_code: null,
      bonus_payments: [],
      rejection_category: null,
      message: null,
    }
    this.submissions.set(submission.id, submission)
    return submission
  }

  /** The completion redirect: any code moves the submission to AWAITING REVIEW; the code is kept as entered. */
  complete(sessionId: string, code: string): FakeSubmission {
    const submission = this.submission(sessionId)
    if (submission.status !== 'ACTIVE') {
      throw new FakeProlificError(
        409,
        `Submission ${sessionId} is ${submission.status}, not ACTIVE`,
      )
    }
    submission.status = 'AWAITING REVIEW'
    submission.completed_at = this.iso()
    submission.entered_code = code
    this.#settle(this.study(submission.study_id))
    return submission
  }

  /** The participant gives the place back (from ACTIVE or AWAITING REVIEW). */
  returnPlace(sessionId: string): FakeSubmission {
    const submission = this.submission(sessionId)
    if (!['ACTIVE', 'AWAITING REVIEW'].includes(submission.status)) {
      throw new FakeProlificError(409, `Submission ${sessionId} is ${submission.status}`)
    }
    const wasReviewed = submission.status === 'AWAITING REVIEW'
    submission.status = 'RETURNED'
    this.#autoPause(submission.study_id, wasReviewed)
    return submission
  }

  timeOut(sessionId: string): FakeSubmission {
    const submission = this.submission(sessionId)
    if (submission.status !== 'ACTIVE')
      throw new FakeProlificError(409, `Submission ${sessionId} is ${submission.status}`)
    submission.status = 'TIMED-OUT'
    return submission
  }

  /** Prolific's AWAITING REVIEW → ACTIVE flip (reported by Mephisto's users). */
  flipToActive(sessionId: string): FakeSubmission {
    const submission = this.submission(sessionId)
    if (submission.status !== 'AWAITING REVIEW') {
      throw new FakeProlificError(409, `Submission ${sessionId} is ${submission.status}`)
    }
    submission.status = 'ACTIVE'
    submission.completed_at = null
    return submission
  }

  /**
   * APPROVE / REJECT (POST /api/v1/submissions/{id}/transition/): only from
   * AWAITING REVIEW; the same transition again is ignored, as documented.
   */
  transitionSubmission(id: string, body: Record<string, unknown>): FakeSubmission {
    const submission = this.submission(id)
    const action = body['action']
    const target = action === 'APPROVE' ? 'APPROVED' : action === 'REJECT' ? 'REJECTED' : undefined
    if (target === undefined)
      throw new FakeProlificError(400, `Unknown submission action ${String(action)}`)
    if (action === 'REJECT') validateRejection(body)
    if (submission.status === target) return submission
    if (submission.status !== 'AWAITING REVIEW') {
      throw new FakeProlificError(
        400,
        `Cannot ${String(action)} a submission in status ${submission.status}`,
      )
    }
    submission.status = target
    if (action === 'REJECT') {
      submission.rejection_category = body['rejection_category'] as string
      submission.message = body['message'] as string
      this.#autoPause(submission.study_id, true)
    } else this.#settle(this.study(submission.study_id))
    return submission
  }

  setUpBonus(body: Record<string, unknown>): FakeBonus {
    const studyId = body['study_id']
    const csv = body['csv_bonuses']
    if (typeof studyId !== 'string' || typeof csv !== 'string') {
      throw new FakeProlificError(400, 'study_id and csv_bonuses are required')
    }
    this.study(studyId)
    const entries = csv
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => parseBonusLine(line, studyId, this))
    if (entries.length === 0) throw new FakeProlificError(400, 'csv_bonuses holds no bonus')
    const bonus: FakeBonus = { id: objectId(), study: studyId, entries, paidTimes: 0 }
    this.bonuses.set(bonus.id, bonus)
    return bonus
  }

  /** Pays every entry: calling it twice pays twice, as Prolific warns. */
  payBonus(id: string): FakeBonus {
    const bonus = this.bonuses.get(id)
    if (bonus === undefined) throw new FakeProlificError(404, `Bulk bonus payment ${id} not found`)
    bonus.paidTimes++
    for (const entry of bonus.entries) {
      const submission =
        this.submissions.get(entry.id) ??
        this.submissionsOf(bonus.study).find((candidate) => candidate.participant_id === entry.id)
      submission?.bonus_payments.push(entry.cents)
    }
    return bonus
  }

  #blocked(study: FakeStudy, participantId: string): boolean {
    return study.filters.some((filter) => {
      const members = filter.selected_values.some(
        (id) => this.groups.get(id)?.participants.has(participantId) === true,
      )
      if (filter.filter_id === 'participant_group_blocklist') return members
      if (filter.filter_id === 'participant_group_allowlist') return !members
      return false
    })
  }

  /** A full study whose submissions are all handed in awaits review; all approved, it is completed. */
  #settle(study: FakeStudy): void {
    if (study.status !== 'ACTIVE') return
    const held = this.submissionsOf(study.id).filter((submission) => !FREED.has(submission.status))
    if (
      held.length < study.total_available_places ||
      held.some((submission) => submission.status === 'ACTIVE')
    )
      return
    study.status = this.#reviewStatus(study)
  }

  #reviewStatus(study: FakeStudy): string {
    const pending = this.submissionsOf(study.id).some((submission) =>
      ['ACTIVE', 'AWAITING REVIEW'].includes(submission.status),
    )
    return pending ? 'AWAITING REVIEW' : 'COMPLETED'
  }

  /** A study that filled up pauses itself when a handed-in place is freed again. */
  #autoPause(studyId: string, handedIn: boolean): void {
    const study = this.study(studyId)
    if (handedIn && ['AWAITING REVIEW', 'COMPLETED'].includes(study.status)) study.status = 'PAUSED'
  }
}

function validateRejection(body: Record<string, unknown>): void {
  const message = body['message']
  const category = body['rejection_category']
  if (typeof message !== 'string' || message.length < 100) {
    throw new FakeProlificError(
      400,
      'message is required to reject and must be at least 100 characters long',
    )
  }
  if (typeof category !== 'string' || !REJECTION_CATEGORIES.has(category)) {
    throw new FakeProlificError(
      400,
      'rejection_category is required to reject and must be a known category',
    )
  }
}

function parseBonusLine(
  line: string,
  studyId: string,
  state: FakeProlificState,
): { id: string; cents: number } {
  const [id = '', amount = ''] = line.split(',').map((part) => part.trim())
  const value = Number(amount)
  if (!/^\d+(\.\d{1,2})?$/.test(amount) || !(value > 0)) {
    throw new FakeProlificError(400, `Invalid bonus amount ${JSON.stringify(amount)}`)
  }
  const tookPart = state
    .submissionsOf(studyId)
    .some((submission) => submission.id === id || submission.participant_id === id)
  if (!tookPart)
    throw new FakeProlificError(400, `Incorrect IDs: ${id} did not take part in study ${studyId}`)
  return { id, cents: Math.round(value * 100) }
}
