import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '@faust/protocol'
import { afterEach, beforeEach, expect } from 'vitest'
import { openDatabase, type AssignmentWithUnits, type Store } from '@faust/backend/store'

/** Where a repository test keeps its store: a SQLite file, or memory. */
export type StoreMode = 'file' | 'memory'

/** Both store modes, for `describe.each(STORE_MODES)`. */
export const STORE_MODES: readonly StoreMode[] = ['file', 'memory']

/** The clock time every test store starts at. */
export const START_TIME = 1_000

/** A fresh temporary folder for a test database. Remove it with {@link removeTempDir}. */
export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'faust-db-'))
}

/** Removes a folder made by {@link makeTempDir}, whatever it holds. */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** What {@link useTestStore} gives a `describe` block. */
export interface TestStore {
  /**
   * The store of the running test. A stable handle, so it can be
   * destructured once in the `describe` body: it forwards to the store
   * opened for each test.
   */
  readonly store: Store
  /** The temporary data folder of the running test. */
  readonly dataDir: string
  /** Sets the store clock to `ms` (it starts at {@link START_TIME}). */
  readonly setNow: (ms: number) => void
  /** Moves the store clock forward by `ms`. */
  readonly advance: (ms: number) => void
  /** {@link launchedRun} on the running test's store. */
  readonly launchedRun: (sizes: readonly number[], taskName?: string) => Promise<LaunchedRun>
  /** {@link workerId} on the running test's store. */
  readonly worker: (name: string) => Promise<string>
}

/**
 * Registers `beforeEach`/`afterEach` hooks that open a store in `mode` in a
 * fresh temporary folder, with a clock the test sets, and close and remove
 * it after the test. Call it at the top of a `describe` body, before any
 * hook that uses the store.
 */
export function useTestStore(mode: StoreMode): TestStore {
  let current: { store: Store; dataDir: string } | undefined
  let now = START_TIME
  const opened = (): { store: Store; dataDir: string } => {
    if (!current) throw new Error('the test store is only open inside a test or its hooks')
    return current
  }
  beforeEach(async () => {
    now = START_TIME
    const dataDir = await makeTempDir()
    const clock = { ...systemClock, now: () => now }
    current = { dataDir, store: await openDatabase({ dataDir, memory: mode === 'memory', clock }) }
  })
  afterEach(async () => {
    if (!current) return
    const { store, dataDir } = current
    current = undefined
    await store.close()
    await removeTempDir(dataDir)
  })
  // Methods are bound to the real store, so its private fields still work.
  const store = new Proxy({} as Store, {
    get(_, key) {
      const target = opened().store
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? (value.bind(target) as unknown) : value
    },
  })
  return {
    store,
    get dataDir() {
      return opened().dataDir
    },
    setNow: (ms) => {
      now = ms
    },
    advance: (ms) => {
      now += ms
    },
    launchedRun: (sizes, taskName) => launchedRun(store, sizes, taskName),
    worker: (name) => workerId(store, name),
  }
}

/** A run made by {@link launchedRun}. */
export interface LaunchedRun {
  readonly runId: string
  readonly assignments: readonly AssignmentWithUnits[]
}

/** A run of `taskName` with one assignment per entry of `sizes`, every unit launched. */
export async function launchedRun(
  store: Store,
  sizes: readonly number[],
  taskName = 't',
): Promise<LaunchedRun> {
  const created = await store.taskRuns.create({
    task: { name: taskName, taskType: 'static' },
    providerType: 'mock',
    config: {},
    assignments: sizes.map((size) => ({
      sharedData: {},
      units: Array.from({ length: size }, () => ({ pay: 1 })),
    })),
  })
  if (!created.ok) throw new Error('expected a run')
  const unitIds = created.value.assignments.flatMap((a) => a.units.map((unit) => unit.id))
  expect(await store.units.launch(unitIds)).toBe(unitIds.length)
  return { runId: created.value.run.id, assignments: created.value.assignments }
}

/** The id of the mock worker `name`, created on first use. */
export async function workerId(store: Store, name: string): Promise<string> {
  return (await store.workers.findOrCreate({ providerType: 'mock', workerName: name })).id
}

/** A one-unit run whose unit is launched and held by worker `w`'s agent. */
export interface ReservedAgent {
  readonly runId: string
  readonly unitId: string
  readonly workerId: string
  readonly agentId: string
}

/** Creates a {@link ReservedAgent}: the usual starting point for agent-level tests. */
export async function reservedAgent(store: Store): Promise<ReservedAgent> {
  const { runId, assignments } = await launchedRun(store, [1])
  const unitId = assignments[0]?.units[0]?.id
  if (unitId === undefined) throw new Error('expected a unit')
  const worker = await workerId(store, 'w')
  const reserved = await store.agents.reserveUnit({ unitIds: [unitId], workerId: worker })
  if (!reserved.ok) throw new Error('expected a reservation')
  return { runId, unitId, workerId: worker, agentId: reserved.value.agent.id }
}

/** The id of the one unit of a new run, left `created` (not launched). */
export async function createdUnit(store: Store): Promise<string> {
  const run = await store.taskRuns.create({
    task: { name: 't', taskType: 'static' },
    providerType: 'mock',
    config: {},
    assignments: [{ sharedData: {}, units: [{ pay: 1 }] }],
  })
  const unitId = run.ok ? run.value.assignments[0]?.units[0]?.id : undefined
  if (unitId === undefined) throw new Error('expected a run with one unit')
  return unitId
}
