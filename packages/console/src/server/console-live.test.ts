// The console's view of a concurrent task: the waiting room, a live
// assignment with its two members, and live updates counted per agent and
// shown in the timeline. A real run (harness, router, bots) on a fake clock.
import { describe, expect, it } from 'vitest'
import { AgentStatus } from '@faust/protocol'
import { createOperatorActions, defineTask } from '@faust/backend'
import { startTask } from '@faust/testing/task'
import { createConsoleServer } from './console-server.js'
import { login } from './test-support/console-client.js'

const chat = defineTask({
  name: 'chat',
  page: 'dist',
  taskType: 'concurrent',
  unitsPerAssignment: 2,
  data: [{ topic: 'cats' }],
  run: async ({ agents }) => {
    const [first, second] = agents
    if (first === undefined || second === undefined) throw new Error('two agents expected')
    const said = await first.receive({ timeoutSeconds: 60 })
    await second.observe({ text: said['text'] })
  },
})

interface Rooms {
  waiting: { agentId: string; workerName: string; since: number }[]
  assignments: {
    assignmentId: string
    members: { agentId: string; workerName: string; status: string }[]
  }[]
}

describe('the console on a concurrent task', () => {
  it('shows the waiting room, the live assignment with its members, and live updates', async () => {
    await using h = await startTask(chat)
    const server = await createConsoleServer({
      store: h.store,
      actions: createOperatorActions({ store: h.store, env: {}, actor: 'console' }),
      clock: h.clock,
      port: 0,
    })
    try {
      const session = await login(server)
      const rooms = (): Promise<Rooms> => session.getJson<Rooms>(`/api/runs/${h.run.runId}/rooms`)
      const alice = await h.worker('alice')
      await alice.register()
      await alice.waitForStatus(AgentStatus.WAITING)
      expect(await rooms()).toEqual({
        waiting: [
          {
            agentId: alice.agentId,
            workerName: 'alice_sandbox',
            since: expect.any(Number) as number,
          },
        ],
        assignments: [],
      })
      const bob = await h.worker('bob')
      await bob.register()
      await alice.waitForStatus(AgentStatus.IN_TASK)
      await bob.waitForStatus(AgentStatus.IN_TASK)
      const together = await rooms()
      expect(together.waiting).toEqual([])
      expect(together.assignments).toHaveLength(1)
      expect(
        together.assignments[0]?.members.map((member) => [member.workerName, member.status]),
      ).toEqual([
        ['alice_sandbox', 'in task'],
        ['bob_sandbox', 'in task'],
      ])
      await alice.sendLiveUpdate({ text: 'hello bob' })
      await bob.nextLiveUpdate((update) => update['text'] === 'hello bob')
      const agents = await session.getJson<{ agentId: string; liveUpdates: number }[]>(
        `/api/runs/${h.run.runId}/agents`,
      )
      expect(agents.find((agent) => agent.agentId === alice.agentId)?.liveUpdates).toBeGreaterThan(
        0,
      )
      expect(agents.find((agent) => agent.agentId === bob.agentId)?.liveUpdates).toBeGreaterThan(0)
      const timeline = await session.getJson<{
        events: { kind: string; detail: Record<string, unknown> }[]
      }>(`/api/agents/${alice.agentId ?? ''}/timeline`)
      expect(timeline.events).toContainEqual({
        at: expect.any(Number) as number,
        kind: 'live_update',
        detail: {
          direction: 'from_agent',
          data: expect.objectContaining({ text: 'hello bob' }) as unknown,
        },
      })
      expect(
        timeline.events
          .filter((event) => event.kind === 'status')
          .map((event) => event.detail['status']),
      ).toEqual(expect.arrayContaining(['waiting', 'in task']))
    } finally {
      await server.close()
    }
  })
})
