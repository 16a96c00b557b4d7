import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  mturkId,
  type FakeAssignment,
  type FakeHit,
  type FakeMturkState,
} from './fake-mturk-state.js'

// MTurk's worker side. Accepting a HIT opens its ExternalURL with
// `assignmentId`, `hitId`, `workerId` and `turkSubmitTo` appended (a preview
// gets `assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE` and no worker). The page
// hands in by POSTing a form to `<turkSubmitTo>/mturk/externalSubmit` with
// `assignmentId` and at least one other field.

export interface FakeMturkWorkers {
  /** A worker accepts a HIT (the given one, or the first they may take). */
  accept(
    hitId: string | undefined,
    workerId: string,
  ): { url: string; assignmentId: string; hitId: string }
  /** The URL MTurk shows while a worker previews the HIT. */
  previewUrl(hitId: string): string
  /** The worker hands in (what the externalSubmit form does). */
  submit(assignmentId: string, answers: Readonly<Record<string, string>>): void
  /** The worker returns the HIT: the assignment disappears and the HIT is assignable again. */
  returnAssignment(assignmentId: string): void
  /** The assignment's duration runs out without a submission. */
  abandon(assignmentId: string): void
  receiveExternalSubmit(
    request: IncomingMessage,
    response: ServerResponse,
    readBody: (request: IncomingMessage) => Promise<string>,
  ): Promise<void>
}

function withParams(url: string, params: Record<string, string>): string {
  const target = new URL(url)
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value)
  return target.toString()
}

export function fakeWorkers(state: FakeMturkState, submitBase: () => string): FakeMturkWorkers {
  const mayTake = (hit: FakeHit, workerId: string): boolean =>
    state.counts(hit).status === 'Assignable' &&
    state.qualifies(workerId, state.hitType(hit)) &&
    !state
      .assignmentsOf(hit.HITId)
      .some((a) => a.WorkerId === workerId && a.state !== 'Returned' && a.state !== 'Abandoned')

  const inProgress = (assignmentId: string): FakeAssignment => {
    state.settle()
    const assignment = state.assignments.get(assignmentId)
    if (assignment === undefined) throw new Error(`fake MTurk: no assignment ${assignmentId}`)
    if (assignment.state !== 'Accepted')
      throw new Error(`fake MTurk: assignment ${assignmentId} is ${assignment.state}`)
    return assignment
  }

  const submit = (assignmentId: string, answers: Readonly<Record<string, string>>): void => {
    const assignment = inProgress(assignmentId)
    const delay = state.hitType(state.hit(assignment.HITId)).AutoApprovalDelayInSeconds
    assignment.state = 'Submitted'
    assignment.SubmitTime = state.now()
    assignment.AutoApprovalTime = state.now() + delay * 1000
    assignment.answers = { ...answers }
  }

  return {
    accept(hitId, workerId) {
      state.settle()
      if (state.blocks.has(workerId)) throw new Error(`fake MTurk: worker ${workerId} is blocked`)
      const candidates = hitId === undefined ? [...state.hits.values()] : [state.hit(hitId)]
      const hit = candidates.find((candidate) => mayTake(candidate, workerId))
      if (hit === undefined) throw new Error(`fake MTurk: no HIT ${workerId} may accept`)
      const now = state.now()
      const assignment: FakeAssignment = {
        AssignmentId: mturkId(),
        WorkerId: workerId,
        HITId: hit.HITId,
        AcceptTime: now,
        deadline: now + state.hitType(hit).AssignmentDurationInSeconds * 1000,
        state: 'Accepted',
      }
      state.assignments.set(assignment.AssignmentId, assignment)
      const url = withParams(hit.externalUrl, {
        assignmentId: assignment.AssignmentId,
        hitId: hit.HITId,
        workerId,
        turkSubmitTo: submitBase(),
      })
      return { url, assignmentId: assignment.AssignmentId, hitId: hit.HITId }
    },
    previewUrl(hitId) {
      return withParams(state.hit(hitId).externalUrl, {
        assignmentId: 'ASSIGNMENT_ID_NOT_AVAILABLE',
        hitId,
      })
    },
    submit,
    returnAssignment(assignmentId) {
      inProgress(assignmentId).state = 'Returned'
    },
    abandon(assignmentId) {
      inProgress(assignmentId).state = 'Abandoned'
    },
    receiveExternalSubmit: (request, response, readBody) =>
      receiveExternalSubmit(submit, { request, response, readBody }),
  }
}

/** `POST /mturk/externalSubmit`: the page's form, `assignmentId` and at least one other field. */
async function receiveExternalSubmit(
  submit: (assignmentId: string, answers: Readonly<Record<string, string>>) => void,
  exchange: {
    request: IncomingMessage
    response: ServerResponse
    readBody: (request: IncomingMessage) => Promise<string>
  },
): Promise<void> {
  const form = new URLSearchParams(await exchange.readBody(exchange.request))
  const assignmentId = form.get('assignmentId') ?? ''
  form.delete('assignmentId')
  const answers = Object.fromEntries(form)
  const refuse = (text: string) =>
    exchange.response.writeHead(400, { 'content-type': 'text/plain' }).end(text)
  if (Object.keys(answers).length === 0)
    return void refuse('A submission needs a field besides assignmentId.')
  try {
    submit(assignmentId, answers)
  } catch (error) {
    return void refuse(error instanceof Error ? error.message : String(error))
  }
  exchange.response
    .writeHead(200, { 'content-type': 'text/html' })
    .end('<p>Your HIT has been submitted.</p>')
}
