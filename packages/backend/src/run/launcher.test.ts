import { AgentStatus } from '@faust/protocol'
import { describe, expect, it } from 'vitest'
import type { TaskOptions } from '../definition/define-task.js'
import type { Store } from '../store/store.js'
import { useTestStore } from '@faust/testing/store'
import { UnitStatus } from '../store/unit-status.js'
import {
  makeRunContext,
  reserveFor,
  testTask,
  type TestRunContext,
} from '../services/test-support/run-context-fixture.js'
import { Launcher } from './launcher.js'

const FIVE_ITEMS = [0, 1, 2, 3, 4].map((item) => ({ item }))

/** A run of five units, none launched yet, as runTask hands it to the launcher. */
async function makeLauncher(
  store: Store,
  options: Partial<TaskOptions> = {},
): Promise<TestRunContext & { readonly launcher: Launcher }> {
  const fixture = await makeRunContext(store, testTask({ data: FIVE_ITEMS, ...options }), {
    launch: false,
  })
  return { ...fixture, launcher: new Launcher(fixture.ctx, fixture.run.unitIds) }
}

async function statusesOf(store: Store, unitIds: readonly string[]): Promise<string[]> {
  const units = await Promise.all(unitIds.map((id) => store.units.get(id)))
  return units.map((unit) => unit?.status ?? 'missing')
}

describe('Launcher', () => {
  const { store } = useTestStore('memory')

  it('launches every unit when maxConcurrentUnits is 0, and reports them', async () => {
    const { launcher, run } = await makeLauncher(store)
    expect(await launcher.fill(0)).toEqual({
      total: 5,
      waiting: 0,
      launched: 5,
      inProgress: 0,
      completed: 0,
      expired: 0,
      activeWorkers: 0,
      done: false,
    })
    expect(await statusesOf(store, run.unitIds)).toEqual(Array(5).fill(UnitStatus.LAUNCHED))
  })

  it('keeps at most maxConcurrentUnits offered or worked on, launching in creation order as room frees', async () => {
    const { launcher, run } = await makeLauncher(store, { maxConcurrentUnits: 2 })
    expect(await launcher.fill(0)).toMatchObject({ waiting: 3, launched: 2 })
    expect(await statusesOf(store, run.unitIds)).toEqual([
      UnitStatus.LAUNCHED,
      UnitStatus.LAUNCHED,
      UnitStatus.CREATED,
      UnitStatus.CREATED,
      UnitStatus.CREATED,
    ])
    // A worker on a unit still takes its room.
    const agent = await reserveFor(store, run.unitIds[0] ?? '', { workerName: 'alice' })
    expect(await launcher.fill(0)).toMatchObject({ waiting: 3, launched: 1, inProgress: 1 })
    await store.agents.setStatus(agent.id, AgentStatus.COMPLETED)
    expect(await launcher.fill(0)).toMatchObject({ waiting: 2, launched: 2, completed: 1 })
    expect((await statusesOf(store, run.unitIds))[2]).toBe(UnitStatus.LAUNCHED)
  })

  it('never launches past the limit when fills overlap', async () => {
    const { launcher } = await makeLauncher(store, { maxConcurrentUnits: 2 })
    const results = await Promise.all([launcher.fill(0), launcher.fill(0), launcher.fill(0)])
    expect(results.map((progress) => progress.launched)).toEqual([2, 2, 2])
  })

  it('counts workers in onboarding as active', async () => {
    const { launcher, run } = await makeLauncher(store)
    await launcher.fill(0)
    await reserveFor(store, run.unitIds[0] ?? '', { workerName: 'alice' })
    expect((await launcher.fill(3)).activeWorkers).toBe(4)
  })

  it('is done once every unit is completed or expired', async () => {
    const { launcher, run } = await makeLauncher(store)
    await launcher.fill(0)
    const agent = await reserveFor(store, run.unitIds[0] ?? '', { workerName: 'alice' })
    await store.agents.setStatus(agent.id, AgentStatus.COMPLETED)
    await store.units.expire(run.unitIds.slice(1, 4))
    expect((await launcher.fill(0)).done).toBe(false)
    await store.units.expire(run.unitIds.slice(4))
    expect(await launcher.fill(0)).toMatchObject({ done: true, completed: 1, expired: 4 })
  })
})
