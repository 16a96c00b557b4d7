import { describe, expect, it } from 'vitest'
import { AgentStatus } from '@faust/protocol'
import { reservedAgent, useTestStore } from '@faust/testing/store'
import type { ProviderPlatform } from '../../providers/provider-platform.js'
import { ProviderError } from '../../util/backend-error.js'
import { createOperatorActions, type RunChanger } from './operator-actions.js'

/** A platform double recording block, unblock and qualification calls; `fail` makes them throw. */
function platformDouble(fail?: ProviderError): {
  calls: unknown[][]
  platformFor: () => ProviderPlatform
} {
  const calls: unknown[][] = []
  const record =
    (method: string) =>
    (...args: unknown[]): Promise<void> => {
      calls.push([method, ...args])
      return fail === undefined ? Promise.resolve() : Promise.reject(fail)
    }
  const platform = {
    type: 'prolific',
    currency: 'GBP',
    block: record('block'),
    unblock: record('unblock'),
    setQualification: record('setQualification'),
  }
  return { calls, platformFor: () => platform as unknown as ProviderPlatform }
}

describe('createOperatorActions', () => {
  const { store, worker } = useTestStore('memory')

  it('blocks and unblocks once each, auditing done then already_done with the actor', async () => {
    const workerId = await worker('w1')
    const actions = createOperatorActions({ store, env: {}, actor: 'console' })
    expect(await actions.blockWorker({ workerId, reason: 'spam' })).toMatchObject({
      result: 'done',
      platform: 'none',
      changed: true,
    })
    expect((await actions.blockWorker({ workerId })).result).toBe('already_done')
    expect(await store.qualifications.getGrant({ name: 'blocked', workerId })).toMatchObject({
      value: 1,
    })
    expect((await actions.unblockWorker({ workerId })).result).toBe('done')
    expect((await actions.unblockWorker({ workerId })).result).toBe('already_done')
    const entries = await store.audit.list()
    expect(
      entries.map((entry) => [entry.actor, entry.action, entry.target, entry.outcome]),
    ).toEqual([
      ['console', 'worker.block', workerId, 'done'],
      ['console', 'worker.block', workerId, 'already_done'],
      ['console', 'worker.unblock', workerId, 'done'],
      ['console', 'worker.unblock', workerId, 'already_done'],
    ])
    expect(entries[0]?.detail).toEqual({
      workerName: 'w1',
      value: 1,
      providerType: 'mock',
      qualification: 'blocked',
      reason: 'spam',
      platform: 'none',
    })
  })

  it('qualifies with a value (the same value again is already_done) and disqualifies', async () => {
    const workerId = await worker('w1')
    const actions = createOperatorActions({ store, env: {}, actor: 'cli' })
    const qualify = (value: number): Promise<unknown> =>
      actions.qualifyWorker({ workerId, qualification: 'skill', value })
    expect(await qualify(3)).toMatchObject({ result: 'done' })
    expect(await qualify(3)).toMatchObject({ result: 'already_done' })
    expect(await qualify(4)).toMatchObject({ result: 'done' })
    expect(await actions.disqualifyWorker({ workerId, qualification: 'skill' })).toMatchObject({
      result: 'done',
      changed: true,
    })
    const entries = await store.audit.list()
    expect(entries.map((entry) => [entry.action, entry.outcome, entry.detail['value']])).toEqual([
      ['worker.qualify', 'done', 3],
      ['worker.qualify', 'already_done', 3],
      ['worker.qualify', 'done', 4],
      ['worker.disqualify', 'done', undefined],
    ])
  })

  it('mirrors on the worker platform, notes missing credentials, fails on other platform errors', async () => {
    const { id: workerId } = await store.workers.findOrCreate({
      providerType: 'prolific',
      workerName: 'p1',
    })
    const mirrored = platformDouble()
    const ok = createOperatorActions({
      store,
      env: {},
      actor: 'cli',
      platformFor: mirrored.platformFor,
    })
    expect(await ok.blockWorker({ workerId, reason: 'bots' })).toMatchObject({
      result: 'done',
      platform: 'mirrored',
      platformNote: 'also blocked on prolific',
    })
    expect(mirrored.calls).toEqual([['block', 'p1', 'bots']])

    const down = platformDouble(new ProviderError('PROVIDER_UNAVAILABLE', 'Prolific is down'))
    const failing = createOperatorActions({
      store,
      env: {},
      actor: 'cli',
      platformFor: down.platformFor,
    })
    expect(
      await failing.qualifyWorker({ workerId, qualification: 'skill', value: 2 }),
    ).toMatchObject({
      result: 'failed',
      error: 'PROVIDER_UNAVAILABLE',
      platform: 'not_mirrored',
      platformNote: 'Prolific is down',
      changed: true,
    })

    // No PROLIFIC_API_TOKEN: the local change stands, the platform is not changed.
    const offline = createOperatorActions({ store, env: {}, actor: 'cli' })
    const unblocked = await offline.unblockWorker({ workerId })
    expect(unblocked).toMatchObject({ result: 'done', platform: 'not_mirrored' })
    expect(unblocked.platformNote).toMatch(/^not changed on prolific: PROLIFIC_API_TOKEN/)

    const entries = await store.audit.list()
    expect(entries.map((entry) => [entry.action, entry.outcome, entry.error])).toEqual([
      ['worker.block', 'done', null],
      ['worker.qualify', 'failed', 'PROVIDER_UNAVAILABLE'],
      ['worker.unblock', 'done', null],
    ])
    expect(entries.map((entry) => entry.detail['platform'])).toEqual([
      'mirrored',
      'not_mirrored',
      'not_mirrored',
    ])
  })

  it('refuses a worker id it does not know, audited as failed', async () => {
    const actions = createOperatorActions({ store, env: {}, actor: 'console' })
    expect(await actions.blockWorker({ workerId: 'nobody' })).toEqual({
      worker: null,
      changed: false,
      result: 'failed',
      error: 'WORKER_NOT_FOUND',
    })
    expect(await store.audit.list()).toEqual([
      expect.objectContaining({
        action: 'worker.block',
        target: 'nobody',
        outcome: 'failed',
        error: 'WORKER_NOT_FOUND',
      }),
    ])
  })

  it('reviews with its actor, and hands run changes to the injected changeRun with it', async () => {
    const { unitId, agentId } = await reservedAgent(store)
    await store.agents.setStatus(agentId, AgentStatus.IN_TASK)
    await store.agents.setStatus(agentId, AgentStatus.COMPLETED)
    const seen: unknown[] = []
    const changeRun: RunChanger = (input) => {
      seen.push(input)
      return Promise.resolve({
        applied: 'stored',
        settings: {
          maxConcurrentUnits: 0,
          maximumUnitsPerWorker: 0,
          allowedConcurrent: 0,
          assignmentDurationSeconds: 1800,
          launching: 'open',
        },
      })
    }
    const actions = createOperatorActions({ store, env: {}, actor: 'console', changeRun })
    const outcomes = await actions.review({
      taskName: 't',
      action: { kind: 'approve', target: unitId },
    })
    expect(outcomes).toEqual([{ unitId, agentId, kind: 'approve', result: 'done' }])
    expect(await store.audit.list()).toEqual([
      expect.objectContaining({ actor: 'console', action: 'review.approve', outcome: 'done' }),
    ])
    await actions.changeRun({ taskRunId: 'r1', change: { kind: 'pause' } })
    expect(seen).toEqual([{ taskRunId: 'r1', change: { kind: 'pause' }, actor: 'console' }])

    const without = createOperatorActions({ store, env: {}, actor: 'cli' })
    await expect(
      without.changeRun({ taskRunId: 'r1', change: { kind: 'end' } }),
    ).rejects.toMatchObject({ code: 'RUN_CHANGE_UNAVAILABLE' })
  })
})
