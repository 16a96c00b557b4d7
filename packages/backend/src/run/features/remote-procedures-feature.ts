import { withPreviousRequests } from '../../services/procedures/remote-procedure-init-data.js'
import { RemoteProcedureServer } from '../../services/procedures/remote-procedure-server.js'
import type { FeatureParts, RunFeature } from '../run-feature.js'

/**
 * Remote procedures (remote-procedure-server.ts): calls from the page are
 * taken from the live updates, answered through `sendLiveUpdate`; a
 * `remote-procedure` task's page also gets its previous calls at
 * registration. Null when the task has neither procedures nor that type.
 */
export function remoteProceduresFeature(parts: FeatureParts): RunFeature | null {
  const { ctx } = parts
  const hasProcedures = Object.keys(ctx.task.remoteProcedures).length > 0
  const blueprint = ctx.task.taskType === 'remote-procedure'
  if (!hasProcedures && !blueprint) return null
  const server = new RemoteProcedureServer({
    ctx,
    send: (subjectId, update) => {
      parts.sendLiveUpdate(subjectId, update)
    },
  })
  return {
    name: 'remote procedures',
    ...(blueprint ? { registered: (result) => withPreviousRequests(ctx.store, result) } : {}),
    liveUpdate: (subjectId, update) =>
      hasProcedures && RemoteProcedureServer.isCall(update)
        ? server.receive(subjectId, update)
        : undefined,
    agentEnded: (subjectId) => {
      server.release(subjectId)
    },
    close: () => server.close(),
    stats: () => {
      const calls = server.stats()
      return { remoteCallers: calls.callers, agentsWithRemoteCalls: calls.agentsWithCalls }
    },
  }
}
