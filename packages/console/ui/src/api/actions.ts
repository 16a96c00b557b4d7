// The console's write calls, each answering with outcome lines for the UI.
import { errorCode, postJson } from './client.js'
import { emitChanged } from './stream.js'
import type {
  ReviewAction,
  ReviewOutcome,
  ReviewStatusFilter,
  RunChange,
  RunChangeResult,
  WorkerActionResult,
} from './types.js'

/** One line of "what happened", shown after every action. */
export interface Outcome {
  readonly id: number
  readonly label: string
  readonly result: 'done' | 'already_done' | 'failed'
  readonly code?: string
}

let nextId = 1

function outcome(label: string, result: Outcome['result'], code?: string): Outcome {
  return { id: nextId++, label, result, ...(code === undefined ? {} : { code }) }
}

function fromReview(label: string, outcomes: readonly ReviewOutcome[]): Outcome[] {
  if (outcomes.length === 0) return [outcome(`${label}: nothing matched`, 'already_done')]
  return outcomes.map((o) => outcome(`${label} ${o.unitId}`, o.result, o.error))
}

// The server's stream says so too, but refetching at once keeps the page in step with the click.
function touched(runId: string): void {
  emitChanged({ runs: [runId], audit: null })
}

export async function review(
  run: { runId: string; taskName: string },
  label: string,
  action: ReviewAction,
): Promise<Outcome[]> {
  try {
    const answer = await postJson<{ outcomes: ReviewOutcome[] }>('/api/review', {
      taskName: run.taskName,
      action,
    })
    return fromReview(label, answer.outcomes)
  } catch (error) {
    return [outcome(`${label} ${action.target}`, 'failed', errorCode(error))]
  } finally {
    touched(run.runId)
  }
}

export async function reviewBulk(
  label: string,
  request: {
    runId: string
    filter: { status: ReviewStatusFilter; worker?: string }
    action: { kind: 'approve' | 'reject' | 'soft_reject'; reason?: string }
  },
): Promise<Outcome[]> {
  const { runId } = request
  try {
    const answer = await postJson<{ outcomes: ReviewOutcome[] }>('/api/review/bulk', request)
    return fromReview(label, answer.outcomes)
  } catch (error) {
    return [outcome(label, 'failed', errorCode(error))]
  } finally {
    touched(runId)
  }
}

export async function workerAction(
  runId: string,
  label: string,
  request: { workerId: string; verb: 'block' | 'unblock' | 'qualify'; body: object },
): Promise<Outcome[]> {
  try {
    const path = `/api/workers/${encodeURIComponent(request.workerId)}/${request.verb}`
    const answer = await postJson<WorkerActionResult>(path, request.body)
    const note = answer.platform === 'not_mirrored' ? ' (not mirrored on the platform)' : ''
    return [outcome(`${label}${note}`, answer.result, answer.error)]
  } catch (error) {
    return [outcome(label, 'failed', errorCode(error))]
  } finally {
    touched(runId)
  }
}

export async function changeRun(
  runId: string,
  label: string,
  change: RunChange,
): Promise<Outcome[]> {
  try {
    const answer = await postJson<RunChangeResult>(
      `/api/runs/${encodeURIComponent(runId)}/change`,
      { change },
    )
    const where = answer.applied === 'live' ? 'applied to the live run' : 'stored for the run'
    return [outcome(`${label}: ${where}`, 'done')]
  } catch (error) {
    return [outcome(label, 'failed', errorCode(error))]
  } finally {
    touched(runId)
  }
}
