// A run on a paid platform, against an in-memory test double of the
// platform (providers/test-support/in-memory-platform.ts): publishing once across
// crashes, open places, close, pause and resume, attempts recorded at
// registration, reconciliation inside the run. FakeRouter, fake clock.
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '@faust/testing'
import { useTestStore } from '@faust/testing/store'
import { defineTask } from '../definition/define-task.js'
import { AttemptStatus } from '../providers/provider-platform.js'
import type { CostQuote } from '../providers/quote-cost.js'
import { TaskRun } from './task-run.js'
import { FakeRouter } from './test-support/fake-router.js'
import { InMemoryPlatform } from '../providers/test-support/in-memory-platform.js'

const task = defineTask<unknown>({
  name: 'label',
  page: 'dist',
  data: [{ n: 1 }, { n: 2 }, { n: 3 }],
  pay: 1.5,
  assignmentDurationSeconds: 600,
})

describe('a run on a paid platform', () => {
  const { store } = useTestStore('file')
  const routers: FakeRouter[] = []
  let live: TaskRun | undefined

  afterEach(async () => {
    await live?.stop()
    live = undefined
    for (const router of routers.splice(0)) await router.close()
  })

  async function start(
    platform: InMemoryPlatform,
    options: { clock?: FakeClock; confirm?: boolean; quotes?: CostQuote[]; connect?: boolean } = {},
  ): Promise<{ run: TaskRun; router: FakeRouter; clock: FakeClock }> {
    const router = await FakeRouter.start()
    routers.push(router)
    const clock = options.clock ?? new FakeClock()
    const run = await TaskRun.create({
      task,
      baseDir: '.',
      store,
      router: { socketUrl: router.url, httpUrl: 'http://127.0.0.1:1', token: 'secret' },
      clock,
      platform: {
        platform,
        completionCode: 'CODE1234',
        bonusBudgetCents: 100,
        listing: {
          title: 'Label',
          description: 'd',
          keywords: [],
          estimatedMinutes: 5,
          pageUrl: 'https://x/',
        },
        confirmPublish: (quote) => {
          options.quotes?.push(quote)
          return Promise.resolve(options.confirm ?? true)
        },
        reconcileEveryMs: 1000,
      },
    })
    if (options.connect !== false) await run.connect()
    return { run, router, clock }
  }

  async function register(
    router: FakeRouter,
    providerData: Record<string, unknown>,
    id: string,
  ): Promise<{ agentId: unknown; failure: unknown }> {
    router.send('register_agent', { request_id: id, provider_data: providerData })
    const answer = await router.nextWhere(
      (packet) => packet.packet_type === 'agent_details' && packet.data['request_id'] === id,
    )
    return { agentId: answer.data['agent_id'], failure: answer.data['failure_reason'] }
  }

  it('quotes, asks, publishes once with the launched units as places, and stores the listing open', async () => {
    const platform = new InMemoryPlatform()
    const quotes: CostQuote[] = []
    const { run } = await start(platform, { quotes })
    live = run
    expect(quotes).toEqual([
      {
        currency: 'USD',
        units: 3,
        rewardCents: 150,
        rewardTotalCents: 450,
        feeRate: 0.2,
        feesCents: 90,
        bonusBudgetCents: 100,
        bonusFeesCents: 20,
        totalCents: 660,
      },
    ])
    expect(platform.callsOf('publish')).toEqual([
      { method: 'publish', arg: { places: 3, previous: null } },
    ])
    const listing = await store.providerRecords.getListing(run.runId)
    expect(listing).toMatchObject({ state: 'open', listingId: 'L1', completionCode: 'CODE1234' })
    expect(platform.callsOf('cleanUpOrphans')).toHaveLength(1)
  })

  it('declined: PUBLISH_DECLINED, nothing published, the new run ended', async () => {
    const platform = new InMemoryPlatform()
    const { run } = await start(platform, { confirm: false, connect: false })
    await expect(run.connect()).rejects.toMatchObject({ code: 'PUBLISH_DECLINED' })
    expect(platform.callsOf('publish')).toEqual([])
    expect((await store.taskRuns.get(run.runId))?.endedAt).not.toBeNull()
  })

  it('a crash mid-publish resumes the same listing without asking again; after publish it resumes it', async () => {
    const platform = new InMemoryPlatform()
    platform.hangPublish = true
    const quotes: CostQuote[] = []
    const first = await start(platform, { quotes, connect: false })
    void first.run.connect()
    await vi_waitFor(() => platform.callsOf('publish').length === 1)
    expect((await store.providerRecords.getListing(first.run.runId))?.state).toBe('publishing')
    await first.router.close()
    platform.hangPublish = false
    const second = await start(platform, { quotes })
    live = second.run
    expect(second.run.runId).toBe(first.run.runId)
    expect(quotes).toHaveLength(1)
    expect(platform.listings.size).toBe(1)
    expect((await store.providerRecords.getListing(second.run.runId))?.state).toBe('open')
    await live.pause()
    expect(platform.callsOf('pause')).toHaveLength(1)
    live = (await start(platform, { quotes })).run
    expect(platform.callsOf('publish')).toHaveLength(2)
    expect(platform.callsOf('resume')).toHaveLength(1)
    expect(quotes).toHaveLength(1)
  })

  it('records the attempt with the agent, refuses a registration without platform ids, and keeps places in step', async () => {
    const platform = new InMemoryPlatform()
    const { run, router } = await start(platform)
    live = run
    const refused = await register(router, { worker_name: 'x', agent_registration_id: 'r' }, 'q0')
    expect(refused.agentId).toBeNull()
    const { agentId } = await register(router, platform.take('L1', 'w1'), 'q1')
    expect(await store.providerRecords.findAttemptByAgent(String(agentId))).toMatchObject({
      attemptId: 'att-w1',
      providerWorkerId: 'w1',
      placeId: 'L1',
    })
    await vi_waitFor(() => platform.callsOf('setOpenPlaces').length === 1)
    expect(platform.callsOf('setOpenPlaces').map((call) => call.arg)).toEqual([2])
    // A failed call is retried by the reconciliation tick.
    platform.failNext('setOpenPlaces')
    await register(router, platform.take('L1', 'w2'), 'q2')
    await vi_waitFor(() => platform.callsOf('setOpenPlaces').length === 2)
    expect(platform.listings.get('L1')?.places).toBe(2)
    await live.stop()
    expect(platform.callsOf('close')).toHaveLength(1)
    expect((await store.providerRecords.getListing(run.runId))?.state).toBe('closed')
  })

  it('retries a failed places call on the next tick (places_repaired)', async () => {
    const platform = new InMemoryPlatform()
    const { run, router, clock } = await start(platform)
    live = run
    platform.failNext('setOpenPlaces')
    await register(router, platform.take('L1', 'w1'), 'q1')
    await vi_waitFor(() => platform.callsOf('setOpenPlaces').length === 1)
    expect(platform.listings.get('L1')?.places).toBe(3)
    clock.advance(1000)
    await vi_waitFor(() => platform.listings.get('L1')?.places === 2)
    await vi_waitFor(async () =>
      (await store.providerRecords.listEvents(run.runId)).some((e) => e.kind === 'places_repaired'),
    )
  })

  it('coalesces place changes: one call in flight, then one with the latest count', async () => {
    const platform = new InMemoryPlatform()
    const { run, router } = await start(platform)
    live = run
    let open = (): void => undefined
    platform.placesGate = new Promise((resolve) => (open = resolve))
    await register(router, platform.take('L1', 'w1'), 'q1')
    await vi_waitFor(() => platform.callsOf('setOpenPlaces').length === 1)
    await register(router, platform.take('L1', 'w2'), 'q2')
    await register(router, platform.take('L1', 'w3'), 'q3')
    await run.handle().progress()
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(platform.callsOf('setOpenPlaces')).toHaveLength(1)
    platform.placesGate = null
    open()
    await vi_waitFor(() => platform.listings.get('L1')?.places === 0)
    expect(platform.callsOf('setOpenPlaces').map((call) => call.arg)).toEqual([2, 0])
  })

  it('a returned attempt frees the unit through the run on the next tick', async () => {
    const platform = new InMemoryPlatform()
    const { run, router, clock } = await start(platform)
    live = run
    const { agentId } = await register(router, platform.take('L1', 'w1'), 'q1')
    platform.setStatus('att-w1', AttemptStatus.RETURNED, 'RETURNED')
    clock.advance(1000)
    await vi_waitFor(async () => (await store.agents.get(String(agentId)))?.status === 'returned')
    const agent = await store.agents.get(String(agentId))
    expect((await store.units.get(agent?.unitId ?? ''))?.status).toBe('launched')
    const events = await store.providerRecords.listEvents(run.runId)
    expect(events.map((e) => e.kind)).toContain('attempt_returned')
  })
})

/** Polls (real time, short) until `check` holds: platform calls settle on other turns. */
async function vi_waitFor(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error('condition never held')
}
