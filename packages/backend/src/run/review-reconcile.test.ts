// Reviewing and reconciling a paused run offline (as `faust review` and
// `faust reconcile` do), against the in-memory platform double.
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { useTestStore } from '@faust/testing/store'
import { defineTask } from '../definition/define-task.js'
import { AttemptStatus } from '../providers/provider-platform.js'
import { ProviderError } from '../util/backend-error.js'
import { reconcileRun } from './reconcile-run.js'
import { actionKey, reviewUnits } from './review-units.js'
import { TaskRun } from './task-run.js'
import { FakeRouter } from './test-support/fake-router.js'
import { InMemoryPlatform } from '../providers/test-support/in-memory-platform.js'

const task = defineTask<unknown>({
  name: 'label',
  page: 'dist',
  data: [{ n: 1 }, { n: 2 }, { n: 3 }],
})

describe('review and reconciliation of a paused run', () => {
  const { store } = useTestStore('file')
  const routers: FakeRouter[] = []
  afterEach(async () => {
    for (const router of routers.splice(0)) await router.close()
  })

  /** Three workers: w1 and w2 submit, w3 only starts; the run is then paused. */
  async function pausedRun(
    platform: InMemoryPlatform,
  ): Promise<{ runId: string; agents: Record<string, string>; units: Record<string, string> }> {
    const router = await FakeRouter.start()
    routers.push(router)
    const run = await TaskRun.create({
      task,
      baseDir: '.',
      store,
      router: { socketUrl: router.url, httpUrl: 'http://127.0.0.1:1', token: 'secret' },
      clock: new FakeClock(),
      platform: {
        platform,
        completionCode: 'C',
        listing: { title: 't', description: 'd', keywords: [], estimatedMinutes: 1, pageUrl: 'u' },
        confirmPublish: () => Promise.resolve(true),
        reconcileEveryMs: 0,
      },
    })
    await run.connect()
    const agents: Record<string, string> = {}
    const units: Record<string, string> = {}
    for (const worker of ['w1', 'w2', 'w3']) {
      router.send('register_agent', {
        request_id: worker,
        provider_data: platform.take('L1', worker),
      })
      const answer = await router.nextWhere(
        (p) => p.packet_type === 'agent_details' && p.data['request_id'] === worker,
      )
      const agentId = String(answer.data['agent_id'])
      agents[worker] = agentId
      units[worker] = (await store.agents.get(agentId))?.unitId ?? ''
      if (worker !== 'w3') {
        router.send('submit_unit', { answer: worker }, agentId)
        await router.status(agentId, 'completed')
        platform.setStatus(`att-${worker}`, AttemptStatus.SUBMITTED, 'AWAITING REVIEW')
      }
    }
    await run.pause()
    return { runId: run.runId, agents, units }
  }

  it('approves once: a repeat is already_done and sends nothing; reject after approve is refused', async () => {
    const platform = new InMemoryPlatform()
    const { units } = await pausedRun(platform)
    const input = { store, platform, taskName: 'label' }
    const [first] = await reviewUnits({
      ...input,
      action: { kind: 'approve', target: units['w1'] ?? '' },
    })
    expect(first).toMatchObject({ result: 'done', kind: 'approve' })
    const [again] = await reviewUnits({
      ...input,
      action: { kind: 'approve', target: units['w1'] ?? '' },
    })
    expect(again?.result).toBe('already_done')
    expect(platform.callsOf('approve')).toHaveLength(1)
    expect((await store.units.get(units['w1'] ?? ''))?.status).toBe('accepted')
    const [reject] = await reviewUnits({
      ...input,
      action: { kind: 'reject', target: units['w1'] ?? '', reason: 'bad' },
    })
    expect(reject).toMatchObject({ result: 'failed', error: 'ALREADY_REVIEWED' })
    expect(platform.callsOf('reject')).toHaveLength(0)
  })

  it('a call whose answer is lost stays pending and is re-sent with the same key; a bonus is paid once', async () => {
    const platform = new InMemoryPlatform()
    const { units, agents, runId } = await pausedRun(platform)
    const input = { store, platform, taskName: 'label' }
    const bonus = {
      kind: 'bonus',
      target: units['w2'] ?? '',
      amountCents: 50,
      reason: 'great',
    } as const
    platform.failNext('bonus')
    const [failed] = await reviewUnits({ ...input, action: bonus })
    expect(failed).toMatchObject({ result: 'failed', error: 'PROVIDER_UNAVAILABLE' })
    const key = actionKey(bonus, agents['w2'] ?? '')
    expect((await store.providerRecords.findAction(key))?.state).toBe('pending')
    // reconciliation sends the pending action again, under the same key
    const report = await reconcileRun({ store, platform, taskRunId: runId, dryRun: false })
    expect(report.events.filter((e) => e.kind === 'action_retried')).toHaveLength(1)
    const [repeat] = await reviewUnits({ ...input, action: bonus })
    expect(repeat?.result).toBe('already_done')
    const sent = platform.callsOf('bonus').map((call) => (call.arg as { key: string }).key)
    expect(sent).toEqual([key, key])
    expect(platform.attempts.get('att-w2')?.money).toEqual([key])
    const results = await store.results.exportSubmissions({ taskName: 'label' })
    expect(results.find((r) => r.agentId === agents['w2'])).toMatchObject({ bonusCents: 50 })
  })

  it('reject with a category, soft reject pays, the mock (null platform) changes Faust only, bad amounts refused', async () => {
    const platform = new InMemoryPlatform()
    const { units, agents } = await pausedRun(platform)
    const input = { store, taskName: 'label' }
    const [rejected] = await reviewUnits({
      ...input,
      platform,
      action: { kind: 'reject', target: units['w1'] ?? '', reason: 'off', category: 'LOW_EFFORT' },
    })
    expect(rejected?.result).toBe('done')
    expect(platform.callsOf('reject')[0]?.arg).toMatchObject({
      reason: 'off',
      category: 'LOW_EFFORT',
    })
    const [soft] = await reviewUnits({
      ...input,
      platform: null,
      action: { kind: 'soft_reject', target: units['w2'] ?? '' },
    })
    expect(soft?.result).toBe('done')
    expect(platform.callsOf('approve')).toHaveLength(0)
    expect((await store.agents.get(agents['w2'] ?? ''))?.status).toBe('soft_rejected')
    const [zero] = await reviewUnits({
      ...input,
      platform,
      action: { kind: 'bonus', target: units['w1'] ?? '', amountCents: 0, reason: 'x' },
    })
    expect(zero?.error).toBe('AMOUNT_INVALID')
    const rows = await store.results.exportSubmissions({ taskName: 'label' })
    expect(rows.find((r) => r.agentId === agents['w1'])).toMatchObject({
      reviewStatus: 'rejected',
      reviewReason: 'off',
      attemptStatus: null,
    })
  })

  it('a crash after pending, before the call: the retry sends it once', async () => {
    const platform = new InMemoryPlatform()
    const { runId, units, agents } = await pausedRun(platform)
    const agentId = agents['w1'] ?? ''
    await store.providerRecords.beginAction({
      key: `approve:${agentId}`,
      taskRunId: runId,
      agentId,
      kind: 'approve',
      amountCents: null,
      reason: null,
    })
    const action = { kind: 'approve', target: units['w1'] ?? '' } as const
    const [outcome] = await reviewUnits({ store, platform, taskName: 'label', action })
    expect(outcome?.result).toBe('done')
    expect(platform.callsOf('approve')).toEqual([
      { method: 'approve', arg: { attemptId: 'att-w1', key: `approve:${agentId}` } },
    ])
  })

  it('approve all-pending approves every completed unit not reviewed', async () => {
    const platform = new InMemoryPlatform()
    await pausedRun(platform)
    const outcomes = await reviewUnits({
      store,
      platform,
      taskName: 'label',
      action: { kind: 'approve', target: 'all-pending' },
    })
    expect(outcomes.map((o) => o.result)).toEqual(['done', 'done'])
  })

  it('repairs each drift once: returned, timed out, approved on the platform, flags; a second pass writes nothing', async () => {
    const platform = new InMemoryPlatform()
    const { runId, agents, units } = await pausedRun(platform)
    platform.setStatus('att-w3', AttemptStatus.TIMED_OUT, 'TIMED-OUT')
    platform.setStatus('att-w1', AttemptStatus.APPROVED, 'APPROVED')
    platform.setStatus('att-w2', AttemptStatus.ACTIVE, 'ACTIVE')
    platform.take('L1', 'ghost')
    platform.setStatus('att-ghost', AttemptStatus.SUBMITTED, 'AWAITING REVIEW')
    platform.take('L1', 'odd')
    platform.setStatus('att-odd', AttemptStatus.UNKNOWN, 'SCREENED OUT')
    const clock = new FakeClock(Date.now() + 3_600_000)
    const dry = await reconcileRun({ store, platform, taskRunId: runId, dryRun: true, clock })
    expect((await store.agents.get(agents['w3'] ?? ''))?.status).not.toBe('timeout')
    expect(await store.providerRecords.listEvents(runId)).toEqual([])
    const report = await reconcileRun({ store, platform, taskRunId: runId, dryRun: false, clock })
    expect(report.events.map((e) => e.kind).sort()).toEqual(dry.events.map((e) => e.kind).sort())
    expect(report.events.map((e) => e.kind).sort()).toEqual([
      'attempt_timed_out',
      'review_synced',
      'stored_not_handed_in',
      'submission_without_data',
      'unknown_status',
    ])
    expect((await store.agents.get(agents['w3'] ?? ''))?.status).toBe('timeout')
    expect((await store.units.get(units['w3'] ?? ''))?.status).toBe('launched')
    expect((await store.units.get(units['w1'] ?? ''))?.status).toBe('accepted')
    const second = await reconcileRun({ store, platform, taskRunId: runId, dryRun: false, clock })
    expect(second.events).toEqual([])
    expect(await store.providerRecords.listEvents(runId)).toHaveLength(5)
  })

  it('closes the listing of an ended run', async () => {
    const platform = new InMemoryPlatform()
    const { runId } = await pausedRun(platform)
    await store.taskRuns.end(runId)
    const report = await reconcileRun({ store, platform, taskRunId: runId, dryRun: false })
    expect(report.events.map((e) => e.kind)).toContain('listing_closed')
    expect((await store.providerRecords.getListing(runId))?.state).toBe('closed')
    expect(platform.listings.get('L1')?.state).toBe('closed')
    void ProviderError
  })
})
