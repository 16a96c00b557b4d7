import { AgentStatus, FINAL_AGENT_STATUSES } from '@faust/protocol'
import { setOnboardingStatus } from '../services/context/agent-statuses.js'
import type { RunContext } from '../services/context/run-context.js'
import type { TaskRunner } from '../services/runners/task-runner.js'
import { parseSubjectId } from '../store/agent-ref.js'

/**
 * One agent of the router's `return_statuses` whose status differs from ours
 * (docs/protocol.md §5.4): the router may only impose `disconnect`; for
 * anything else ours is pushed again.
 */
export async function reconcileStatus(
  run: { readonly ctx: RunContext; readonly runner: TaskRunner },
  subjectId: string,
  routerStatus: AgentStatus,
): Promise<void> {
  const { ctx, runner } = run
  const { store } = ctx
  const ref = parseSubjectId(subjectId)
  const record =
    ref.kind === 'agent' ? await store.agents.get(ref.id) : await store.onboardingAgents.get(ref.id)
  if (record?.taskRunId !== ctx.taskRunId || record.status === routerStatus) return
  if (routerStatus === AgentStatus.COMPLETED) return
  if (routerStatus === AgentStatus.DISCONNECT) {
    if (FINAL_AGENT_STATUSES.has(record.status)) return
    if (ref.kind === 'agent') await runner.disconnected(ref.id)
    else if (record.status === AgentStatus.ONBOARDING) {
      runner.stopOnboardingDeadline(ref.id)
      await setOnboardingStatus(ctx, ref.id, AgentStatus.DISCONNECT)
    }
    return
  }
  // Onboarding verdicts are never shown; the reference reports them as waiting.
  const verdict = record.status === AgentStatus.APPROVED || record.status === AgentStatus.REJECTED
  ctx.pushStatus(
    subjectId,
    ref.kind === 'onboarding' && verdict ? AgentStatus.WAITING : record.status,
  )
}
