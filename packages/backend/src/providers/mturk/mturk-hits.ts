import type { Assignment, HIT } from '@aws-sdk/client-mturk'
import { AttemptStatus } from '../provider-platform.js'
import type { ProviderAttempt, ProviderIdentity } from '../provider-platform.js'

// HITs, assignments and the ExternalQuestion as Faust uses them. Every HIT of
// a run carries RequesterAnnotation `faust:<runId>` (private to the
// requester), which is how a restarted run, close() and cleanUpOrphans() find
// the HITs without any local state.

const ANNOTATION_PREFIX = 'faust:'

/** The RequesterAnnotation of a run's HITs. */
export function runAnnotation(runId: string): string {
  return `${ANNOTATION_PREFIX}${runId}`
}

/** Whether MTurk HIT was made by Faust (any run). */
export function isFaustHit(hit: HIT): boolean {
  return hit.RequesterAnnotation?.startsWith(ANNOTATION_PREFIX) === true
}

/** Not yet expired on the platform's clock (an expired HIT takes no new workers). */
export function isLive(hit: HIT, nowMs: number): boolean {
  return (
    hit.Expiration !== undefined && hit.Expiration.getTime() > nowMs && hit.HITStatus !== 'Disposed'
  )
}

/** A HIT a new worker could accept now: live, Assignable, a seat free (none accepted or submitted). */
export function isAssignable(hit: HIT, nowMs: number): boolean {
  return (
    isLive(hit, nowMs) &&
    hit.HITStatus === 'Assignable' &&
    (hit.NumberOfAssignmentsAvailable ?? 0) > 0
  )
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/**
 * The ExternalQuestion (schema ExternalQuestion.xsd of 2006-07-14): MTurk
 * shows `pageUrl` in an iframe and appends assignmentId, hitId, workerId and
 * turkSubmitTo. FrameHeight 0 lets the frame take the window's height.
 */
export function externalQuestion(pageUrl: string): string {
  return (
    '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd">' +
    `<ExternalURL>${escapeXml(pageUrl)}</ExternalURL><FrameHeight>0</FrameHeight></ExternalQuestion>`
  )
}

const STATUS_OF: Readonly<Record<string, AttemptStatus>> = {
  Submitted: AttemptStatus.SUBMITTED,
  Approved: AttemptStatus.APPROVED,
  Rejected: AttemptStatus.REJECTED,
}

/** An assignment ListAssignmentsForHIT returned, as a ProviderAttempt. */
export function attemptOf(assignment: Assignment): ProviderAttempt | null {
  if (
    assignment.AssignmentId === undefined ||
    assignment.WorkerId === undefined ||
    assignment.HITId === undefined
  ) {
    return null
  }
  const providerStatus = assignment.AssignmentStatus ?? ''
  return {
    workerId: assignment.WorkerId,
    attemptId: assignment.AssignmentId,
    placeId: assignment.HITId,
    status: STATUS_OF[providerStatus] ?? AttemptStatus.UNKNOWN,
    providerStatus,
    startedAt: assignment.AcceptTime?.getTime(),
    submittedAt: assignment.SubmitTime?.getTime(),
  }
}

/**
 * What MTurk does not list. ListAssignmentsForHIT returns only Submitted,
 * Approved and Rejected assignments: one accepted and still being worked on,
 * returned or abandoned is invisible. With one assignment per HIT, a HIT with
 * NumberOfAssignmentsPending > 0 is being worked on by the latest attempt
 * Faust knows on it (`active`); every other known attempt on the HIT that MTurk
 * does not list is gone (`returned`: returned or abandoned, MTurk does not say which).
 */
export function inferredAttempts(
  hit: HIT,
  known: readonly ProviderIdentity[],
  listed: ReadonlySet<string>,
): ProviderAttempt[] {
  const unlisted = known.filter(
    (attempt) => attempt.placeId === hit.HITId && !listed.has(attempt.attemptId),
  )
  const pending = (hit.NumberOfAssignmentsPending ?? 0) > 0
  return unlisted.map((attempt, index) => {
    const active = pending && index === unlisted.length - 1
    return {
      workerId: attempt.workerId,
      attemptId: attempt.attemptId,
      placeId: attempt.placeId,
      status: active ? AttemptStatus.ACTIVE : AttemptStatus.RETURNED,
      providerStatus: active ? 'Accepted' : 'NotListed',
    }
  })
}
