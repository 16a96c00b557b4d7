// Every review outcome is one entry of the audit log (docs/console.md, "The
// audit log"), with the actor that asked: the CLI by default, or the console.
import { describe, expect, it } from 'vitest'
import { AgentStatus } from '@faust/protocol'
import { reservedAgent, useTestStore } from '@faust/testing/store'
import { reviewUnits } from './review-units.js'

describe('reviewUnits audits every outcome', () => {
  const { store } = useTestStore('memory')

  /** A unit of task `t` handed in by worker `w`, awaiting review. */
  async function completedUnit(): Promise<{ runId: string; unitId: string; agentId: string }> {
    const reserved = await reservedAgent(store)
    await store.agents.setStatus(reserved.agentId, AgentStatus.IN_TASK)
    await store.agents.setStatus(reserved.agentId, AgentStatus.COMPLETED)
    return reserved
  }

  it('records a done approval as cli, and its repeat as already_done', async () => {
    const { runId, unitId, agentId } = await completedUnit()
    const approve = { kind: 'approve', target: unitId } as const
    await reviewUnits({ store, platform: null, taskName: 't', action: approve })
    await reviewUnits({ store, platform: null, taskName: 't', action: approve })
    const entries = await store.audit.list({ taskRunId: runId })
    expect(entries).toEqual([
      expect.objectContaining({
        actor: 'cli',
        action: 'review.approve',
        taskName: 't',
        taskRunId: runId,
        target: unitId,
        outcome: 'done',
        error: null,
        detail: {
          agentId,
          reason: null,
          category: null,
          amountCents: null,
          result: 'done',
          error: null,
        },
      }),
      expect.objectContaining({ action: 'review.approve', outcome: 'already_done' }),
    ])
  })

  it('records the actor given, the reason, category and amount, and failures with their code', async () => {
    const { unitId, agentId } = await completedUnit()
    const input = { store, platform: null, taskName: 't', actor: 'console' } as const
    await reviewUnits({
      ...input,
      action: { kind: 'reject', target: unitId, reason: 'off', category: 'LOW_EFFORT' },
    })
    await reviewUnits({ ...input, action: { kind: 'approve', target: unitId } })
    await reviewUnits({
      ...input,
      action: { kind: 'bonus', target: unitId, amountCents: 25, reason: 'kind' },
    })
    await reviewUnits({ ...input, action: { kind: 'soft_reject', target: 'no-such-unit' } })
    const entries = await store.audit.list({ taskName: 't' })
    expect(entries.map((entry) => [entry.actor, entry.action, entry.outcome, entry.error])).toEqual(
      [
        ['console', 'review.reject', 'done', null],
        ['console', 'review.approve', 'failed', 'ALREADY_REVIEWED'],
        ['console', 'review.bonus', 'done', null],
        ['console', 'review.soft_reject', 'failed', 'UNIT_NOT_FOUND'],
      ],
    )
    expect(entries[0]?.detail).toMatchObject({ agentId, reason: 'off', category: 'LOW_EFFORT' })
    expect(entries[2]?.detail).toMatchObject({ amountCents: 25, reason: 'kind', result: 'done' })
    expect(entries[3]).toMatchObject({
      target: 'no-such-unit',
      taskRunId: null,
      detail: { agentId: null, error: 'UNIT_NOT_FOUND', result: 'failed' },
    })
  })

  it('writes nothing when all-pending finds no unit', async () => {
    const outcomes = await reviewUnits({
      store,
      platform: null,
      taskName: 't',
      action: { kind: 'approve', target: 'all-pending' },
    })
    expect(outcomes).toEqual([])
    expect(await store.audit.list()).toEqual([])
  })
})
