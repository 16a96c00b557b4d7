// Live run changes inside the serving process and from another one through
// the store: the launcher and eligibility read the live settings, the
// command poll runs on the injected clock, commands apply once.
import type { FakeClock } from '@faust/testing'
import { useTestStore } from '@faust/testing/store'
import { describe, expect, it } from 'vitest'
import type { TaskOptions } from '../definition/define-task.js'
import { Eligibility } from '../services/registration/eligibility.js'
import {
  makeRunContext,
  reserveFor,
  testTask,
  type TestRunContext,
} from '../services/test-support/run-context-fixture.js'
import type { Store } from '../store/store.js'
import { UnitStatus } from '../store/unit-status.js'
import { changeRun, leaseIsFresh, readRunSettings } from './change-run.js'
import { Launcher } from './launcher.js'
import { factsOfTask, type RunChange } from './run-change.js'
import { COMMAND_POLL_MS, LEASE_TTL_MS, RunControl } from './run-control.js'

const FIVE_ITEMS = [0, 1, 2, 3, 4].map((item) => ({ item }))

interface LiveFixture extends TestRunContext {
  readonly launcher: Launcher
  readonly control: RunControl
  readonly ended: { count: number }
  readonly refills: { count: number }
}

/** A run of five units with its launcher and run control, as TaskRun wires them (no router). */
async function liveRun(store: Store, options: Partial<TaskOptions> = {}): Promise<LiveFixture> {
  const fixture = await makeRunContext(store, testTask({ data: FIVE_ITEMS, ...options }), {
    launch: false,
  })
  const launcher = new Launcher(fixture.ctx, fixture.run.unitIds)
  const ended = { count: 0 }
  const refills = { count: 0 }
  let stopped = false
  const control: RunControl = new RunControl({
    ctx: fixture.ctx,
    facts: factsOfTask(fixture.ctx.task),
    addUnits: (units) => {
      launcher.addUnits(units.map((unit) => unit.id))
    },
    refill: () => {
      refills.count += 1
      return Promise.resolve()
    },
    expireAgent: async (agentId) => {
      await store.agents.setStatus(agentId, 'expired')
    },
    end: async () => {
      ended.count += 1
      stopped = true
      await store.units.expire(fixture.run.unitIds)
      await store.taskRuns.end(fixture.run.runId)
      await control.close()
    },
    stopped: () => stopped,
  })
  return { ...fixture, launcher, control, ended, refills }
}

/** Lets the store's queued work run, the clock standing still. */
async function turn(times = 20): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/** Advances the fake clock in steps until `promise` settles (bounded), as time passes for a waiting caller. */
async function drive<T>(clock: FakeClock, promise: Promise<T>, stepMs = 100): Promise<T> {
  let settled = false
  promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  for (let step = 0; step < 1000 && !settled; step++) {
    await turn()
    if (!settled) clock.advance(stepMs)
  }
  return promise
}

describe('live settings', () => {
  const { store } = useTestStore('memory')

  it('the launcher launches nothing while paused, fills at once on resume and on a raised limit', async () => {
    const { launcher, control } = await liveRun(store, { maxConcurrentUnits: 1 })
    await control.change({ kind: 'pause' }, 'cli')
    expect(await launcher.fill(0)).toMatchObject({ waiting: 5, launched: 0 })
    await control.change({ kind: 'resume' }, 'cli')
    expect(await launcher.fill(0)).toMatchObject({ waiting: 4, launched: 1 })
    await control.change({ kind: 'set', setting: 'maxConcurrentUnits', value: 3 }, 'cli')
    expect(await launcher.fill(0)).toMatchObject({ waiting: 2, launched: 3 })
    // Lowered: nothing is taken back, nothing new is launched.
    await control.change({ kind: 'set', setting: 'maxConcurrentUnits', value: 1 }, 'cli')
    expect(await launcher.fill(0)).toMatchObject({ waiting: 2, launched: 3 })
  })

  it('eligibility reads the changed allowedConcurrent and maximumUnitsPerWorker', async () => {
    const { ctx, control, run, launcher } = await liveRun(store)
    await launcher.fill(0)
    const agent = await reserveFor(store, run.unitIds[0]!, { workerName: 'w1' })
    const eligibility = new Eligibility(ctx)
    expect(await eligibility.limitReached(store, agent.workerId)).toBeNull()
    await control.change({ kind: 'set', setting: 'allowedConcurrent', value: 1 }, 'console')
    expect(await eligibility.limitReached(store, agent.workerId)).toBe('TOO_MANY_CONCURRENT')
    await control.change({ kind: 'set', setting: 'allowedConcurrent', value: 0 }, 'console')
    await control.change({ kind: 'set', setting: 'maximumUnitsPerWorker', value: 1 }, 'console')
    expect(await eligibility.limitReached(store, agent.workerId)).toBe('MAX_FOR_TASK')
  })

  it('refuses what defineTask refuses, nothing changed, and audits the refusal', async () => {
    const { ctx, control } = await liveRun(store, {
      screening: { data: [{ q: 1 }], validate: () => true, maxUnits: 5 },
    })
    await expect(
      control.change({ kind: 'set', setting: 'allowedConcurrent', value: 2 }, 'cli'),
    ).rejects.toMatchObject({ code: 'RUN_CHANGE_INVALID' })
    await expect(
      control.change({ kind: 'set', setting: 'assignmentDurationSeconds', value: 0 }, 'cli'),
    ).rejects.toMatchObject({ code: 'RUN_CHANGE_INVALID' })
    await expect(
      control.change({ kind: 'set', setting: 'nope', value: 1 } as unknown as RunChange, 'cli'),
    ).rejects.toMatchObject({ code: 'RUN_CHANGE_INVALID' })
    expect(ctx.settings.current.allowedConcurrent).toBe(1)
    expect(await store.runControl.getSettings(ctx.taskRunId)).toBeNull()
    const audit = await store.audit.list({ taskRunId: ctx.taskRunId })
    expect(audit.map((entry) => [entry.action, entry.outcome])).toEqual([
      ['run.set', 'failed'],
      ['run.set', 'failed'],
      ['run.set', 'failed'],
    ])
  })

  it("a concurrent task's maxConcurrentUnits stays at least unitsPerAssignment", async () => {
    const { control, ctx } = await liveRun(store, {
      taskType: 'concurrent',
      unitsPerAssignment: 2,
      run: () => Promise.resolve(),
    })
    await expect(
      control.change({ kind: 'set', setting: 'maxConcurrentUnits', value: 1 }, 'cli'),
    ).rejects.toMatchObject({ code: 'RUN_CHANGE_INVALID' })
    await control.change({ kind: 'set', setting: 'maxConcurrentUnits', value: 2 }, 'cli')
    expect(ctx.settings.current.maxConcurrentUnits).toBe(2)
  })

  it('each change writes one audit entry with its actor and detail, in the settings transaction', async () => {
    const { ctx, control } = await liveRun(store)
    await control.change({ kind: 'pause' }, 'console')
    await control.change({ kind: 'pause' }, 'console')
    await control.change({ kind: 'set', setting: 'assignmentDurationSeconds', value: 60 }, 'cli')
    const audit = await store.audit.list({ taskRunId: ctx.taskRunId })
    expect(audit.map((e) => [e.actor, e.action, e.outcome, e.detail])).toEqual([
      ['console', 'run.pause', 'done', { launching: { from: 'open', to: 'paused' } }],
      ['console', 'run.pause', 'already_done', { launching: { from: 'paused', to: 'paused' } }],
      ['cli', 'run.set', 'done', { setting: 'assignmentDurationSeconds', from: 1800, to: 60 }],
    ])
    expect(await store.runControl.getSettings(ctx.taskRunId)).toMatchObject({
      version: 3,
      settings: { launching: 'paused', assignmentDurationSeconds: 60 },
    })
  })

  it('add_items stores the items as new units of the run and the launcher offers them', async () => {
    const { ctx, control, launcher } = await liveRun(store, { maxConcurrentUnits: 6 })
    expect(await launcher.fill(0)).toMatchObject({ total: 5, launched: 5 })
    const result = await control.change(
      { kind: 'add_items', items: [{ item: 5 }, { item: 6 }] },
      'cli',
    )
    expect(result).toMatchObject({ applied: 'live', detail: { items: 2, units: 2 } })
    expect(await launcher.fill(0)).toMatchObject({ total: 7, launched: 6, waiting: 1 })
    expect((await store.runControl.getSettings(ctx.taskRunId))?.addedItems).toBe(2)
    await expect(control.change({ kind: 'add_items', items: [] }, 'cli')).rejects.toMatchObject({
      code: 'RUN_CHANGE_INVALID',
    })
  })

  it("expire_units 'unassigned' leaves a unit a worker is on; naming it expires it and its agent", async () => {
    const { control, launcher, run } = await liveRun(store)
    await launcher.fill(0)
    const agent = await reserveFor(store, run.unitIds[0]!, { workerName: 'w1' })
    const first = await control.change({ kind: 'expire_units', units: 'unassigned' }, 'cli')
    expect(first.detail).toMatchObject({ expired: 4, agentsExpired: 0 })
    expect((await store.units.get(run.unitIds[0]!))?.status).toBe(UnitStatus.ASSIGNED)
    // Again: harmless, nothing left to expire.
    const again = await control.change({ kind: 'expire_units', units: 'unassigned' }, 'cli')
    expect(again.detail).toMatchObject({ expired: 0 })
    await control.change({ kind: 'expire_units', units: [run.unitIds[0]!] }, 'cli')
    expect((await store.units.get(run.unitIds[0]!))?.status).toBe(UnitStatus.EXPIRED)
    expect((await store.agents.get(agent.id))?.status).toBe('expired')
    await expect(
      control.change({ kind: 'expire_units', units: ['not-a-unit'] }, 'cli'),
    ).rejects.toMatchObject({ code: 'RUN_CHANGE_INVALID' })
  })
})

describe('changes from another process', () => {
  const { store } = useTestStore('memory')

  it('a fresh lease sends the change as a command, applied by the next poll on the run clock', async () => {
    const { ctx, clock, control, launcher } = await liveRun(store)
    await control.start()
    expect(await leaseIsFresh(store, ctx.taskRunId, clock)).toBe(true)
    const asked = changeRun({
      store,
      taskRunId: ctx.taskRunId,
      change: { kind: 'pause' },
      actor: 'cli',
      clock,
    })
    const result = await drive(clock, asked)
    expect(result).toMatchObject({ applied: 'live', settings: { launching: 'paused' } })
    // Applied in memory: the launcher reads it at once.
    expect(ctx.settings.paused).toBe(true)
    expect(await launcher.fill(0)).toMatchObject({ launched: 0 })
    expect(await store.audit.list({ taskRunId: ctx.taskRunId })).toHaveLength(1)
    await control.close()
  })

  it('polls every 500 ms of the run clock, and applies a command exactly once', async () => {
    const { ctx, clock, control } = await liveRun(store)
    await control.start()
    const command = await store.runControl.addCommand({
      taskRunId: ctx.taskRunId,
      actor: 'console',
      change: { kind: 'add_items', items: [{ item: 9 }] },
    })
    clock.advance(COMMAND_POLL_MS - 1)
    await turn()
    expect((await store.runControl.getCommand(command.id))?.status).toBe('pending')
    clock.advance(1)
    await turn()
    await control.settled()
    expect((await store.runControl.getCommand(command.id))?.status).toBe('applied')
    for (let i = 0; i < 3; i++) {
      clock.advance(COMMAND_POLL_MS)
      await turn()
      await control.settled()
    }
    expect(await store.units.list({ taskRunId: ctx.taskRunId })).toHaveLength(6)
    expect(await store.audit.list({ taskRunId: ctx.taskRunId })).toHaveLength(1)
    await control.close()
  })

  it('a command that failed is marked with its code, and the asker gets it', async () => {
    const { ctx, clock, control } = await liveRun(store)
    await control.start()
    const asked = changeRun({
      store,
      taskRunId: ctx.taskRunId,
      change: { kind: 'expire_units', units: ['elsewhere'] },
      actor: 'cli',
      clock,
    })
    await expect(drive(clock, asked)).rejects.toMatchObject({ code: 'RUN_CHANGE_INVALID' })
    await control.close()
  })

  it('add_items marks its command in the same transaction: a failed write adds nothing, and the asker is told', async () => {
    const { ctx, clock, control } = await liveRun(store)
    await control.start()
    const command = await store.runControl.addCommand({
      taskRunId: ctx.taskRunId,
      actor: 'cli',
      change: { kind: 'add_items', items: [{ item: 9 }] },
    })
    // The write fails (a full disk): the transaction rolls back whole.
    const original = store.db.transaction.bind(store.db)
    Object.defineProperty(store.db, 'transaction', {
      configurable: true,
      value: () => {
        throw new Error('disk full')
      },
    })
    clock.advance(COMMAND_POLL_MS)
    await turn()
    await control.settled()
    Object.defineProperty(store.db, 'transaction', { configurable: true, value: original })
    expect(await store.units.list({ taskRunId: ctx.taskRunId })).toHaveLength(5)
    expect(await store.runControl.getCommand(command.id)).toMatchObject({
      status: 'failed',
      error: 'disk full',
    })
    // Never applied later: only pending commands are.
    clock.advance(COMMAND_POLL_MS)
    await turn()
    await control.settled()
    expect(await store.units.list({ taskRunId: ctx.taskRunId })).toHaveLength(5)
    await control.close()
  })

  it('a lease nobody refreshes goes stale: the change is applied to the store', async () => {
    const { ctx, clock } = await liveRun(store)
    await store.runControl.refreshLease(ctx.taskRunId, 'gone', clock.now())
    clock.advance(LEASE_TTL_MS)
    expect(await leaseIsFresh(store, ctx.taskRunId, clock)).toBe(false)
    const result = await changeRun({
      store,
      taskRunId: ctx.taskRunId,
      change: { kind: 'set', setting: 'maxConcurrentUnits', value: 2 },
      actor: 'cli',
      clock,
    })
    expect(result).toMatchObject({ applied: 'stored', settings: { maxConcurrentUnits: 2 } })
    expect(await readRunSettings(store, ctx.taskRunId)).toMatchObject({ maxConcurrentUnits: 2 })
  })

  it('a fresh lease whose holder never applies: RUN_NOT_RESPONDING, and the command is withdrawn', async () => {
    const { ctx, clock } = await liveRun(store)
    await store.runControl.refreshLease(ctx.taskRunId, 'hung', clock.now())
    const asked = changeRun({
      store,
      taskRunId: ctx.taskRunId,
      change: { kind: 'pause' },
      actor: 'cli',
      clock,
      waitMs: 1000,
    })
    await expect(drive(clock, asked)).rejects.toMatchObject({ code: 'RUN_NOT_RESPONDING' })
    expect(await store.runControl.pendingCommands(ctx.taskRunId)).toEqual([])
    expect(await readRunSettings(store, ctx.taskRunId)).toMatchObject({ launching: 'open' })
  })

  it('end through a command ends the run; later changes get RUN_ENDED', async () => {
    const { ctx, clock, control, ended } = await liveRun(store)
    await control.start()
    const asked = changeRun({
      store,
      taskRunId: ctx.taskRunId,
      change: { kind: 'end' },
      actor: 'cli',
      clock,
    })
    expect(await drive(clock, asked)).toMatchObject({ applied: 'live' })
    expect(ended.count).toBe(1)
    expect(await leaseIsFresh(store, ctx.taskRunId, clock)).toBe(false)
    const audit = await store.audit.list({ taskRunId: ctx.taskRunId })
    expect(audit.map((entry) => [entry.action, entry.outcome])).toEqual([['run.end', 'done']])
    await expect(
      changeRun({
        store,
        taskRunId: ctx.taskRunId,
        change: { kind: 'resume' },
        actor: 'cli',
        clock,
      }),
    ).rejects.toMatchObject({ code: 'RUN_ENDED' })
    await expect(control.change({ kind: 'resume' }, 'cli')).rejects.toMatchObject({
      code: 'RUN_ENDED',
    })
  })

  it('without a live process: the stored run is changed, units expired, ended like an abandoned run', async () => {
    const { ctx, clock, run } = await liveRun(store)
    const ask = (change: RunChange): ReturnType<typeof changeRun> =>
      changeRun({ store, taskRunId: ctx.taskRunId, change, actor: 'cli', clock })
    expect(await ask({ kind: 'add_items', items: [{ item: 7 }] })).toMatchObject({
      applied: 'stored',
      detail: { units: 1 },
    })
    expect(await ask({ kind: 'expire_units', units: [run.unitIds[1]!] })).toMatchObject({
      detail: { expired: 1 },
    })
    await ask({ kind: 'end' })
    expect((await store.taskRuns.get(ctx.taskRunId))?.endedAt).not.toBeNull()
    const summary = await store.units.summarize(ctx.taskRunId)
    expect(summary.expired).toBe(6)
    await expect(ask({ kind: 'pause' })).rejects.toMatchObject({ code: 'RUN_ENDED' })
    await expect(
      changeRun({ store, taskRunId: 'nope', change: { kind: 'pause' }, actor: 'cli', clock }),
    ).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' })
  })
})
