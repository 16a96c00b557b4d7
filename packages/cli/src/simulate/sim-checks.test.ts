import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Store } from '@faust/backend/store'
import { canonicalJson, runChecks, type CheckInput } from './sim-checks.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A store holding run `r1` of task `t` with items a and b (one unit each). */
async function storeWithRun(): Promise<Store> {
  const dataDir = await mkdtemp(join(tmpdir(), 'faust-sim-checks-'))
  dirs.push(dataDir)
  const store = await openDatabase({ dataDir })
  await store.db
    .insertInto('tasks')
    .values({ id: 't', name: 'task', task_type: 'static', created_at: 10 })
    .execute()
  await store.db
    .insertInto('workers')
    .values({ id: 'w', provider_type: 'mock', worker_name: 'bot1', created_at: 10 })
    .execute()
  await addRun(store, 'r1', 'ended')
  return store
}

async function addRun(store: Store, run: string, ended: 'ended' | 'open'): Promise<void> {
  await store.db
    .insertInto('task_runs')
    .values({
      id: run,
      task_id: 't',
      provider_type: 'mock',
      config: '{}',
      created_at: 100,
      ended_at: ended === 'ended' ? 200 : null,
    })
    .execute()
  for (const item of ['a', 'b']) {
    await store.db
      .insertInto('assignments')
      .values({
        id: `${run}-${item}`,
        task_run_id: run,
        shared_data: JSON.stringify({ id: item }),
        created_at: 100,
      })
      .execute()
    await store.db
      .insertInto('units')
      .values({
        id: `${run}-${item}-u`,
        assignment_id: `${run}-${item}`,
        task_run_id: run,
        unit_index: 0,
        unit_data: '{}',
        pay: 0,
        status: 'launched',
        worker_id: null,
        agent_id: null,
        created_at: 100,
        updated_at: 100,
      })
      .execute()
  }
}

/** Agent `agent` of the unit of `item` in `run` submits `data`; the unit becomes completed. */
async function submit(
  store: Store,
  run: string,
  item: string,
  agent: string,
  data: unknown,
): Promise<void> {
  const unit = `${run}-${item}-u`
  await store.db
    .insertInto('agents')
    .values({
      id: agent,
      unit_id: unit,
      worker_id: 'w',
      task_run_id: run,
      assignment_id: `${run}-${item}`,
      status: 'completed',
      registration_id: null,
      init_data: '{}',
      created_at: 100,
      updated_at: 100,
    })
    .execute()
  await store.db
    .insertInto('submissions')
    .values({ id: `s-${agent}`, agent_id: agent, data: JSON.stringify(data), submitted_at: 150 })
    .execute()
  await store.db.updateTable('units').set({ status: 'completed' }).where('id', '=', unit).execute()
}

function input(store: Store, extra: Partial<CheckInput> = {}): CheckInput {
  return { store, taskName: 'task', since: 50, acks: [], stuck: [], unfinished: null, ...extra }
}

/** The violations of each check that has some. */
async function violations(checks: CheckInput): Promise<Record<string, readonly string[]>> {
  const results = await runChecks(checks)
  return Object.fromEntries(
    results
      .filter((check) => check.violations.length > 0)
      .map((check) => [check.name, check.violations]),
  )
}

describe('the simulation checks', () => {
  it('all hold for a run whose every unit was submitted once, as acknowledged', async () => {
    await using store = await storeWithRun()
    await submit(store, 'r1', 'a', 'ag1', { label: 'x', n: 1 })
    await submit(store, 'r1', 'b', 'ag2', { label: 'y' })
    const acks = [
      // Key order does not matter: the data is compared as canonical JSON.
      { worker: 'bot1', agentId: 'ag1', data: { n: 1, label: 'x' } },
      { worker: 'bot1', agentId: 'ag2', data: { label: 'y' } },
    ]
    const results = await runChecks(input(store, { acks }))
    expect(results.map((check) => check.name)).toHaveLength(6)
    expect(results.every((check) => check.violations.length === 0)).toBe(true)
  })

  it('names an acknowledged submission that is missing or stored with other data', async () => {
    await using store = await storeWithRun()
    await submit(store, 'r1', 'a', 'ag1', { label: 'x' })
    await submit(store, 'r1', 'b', 'ag2', { label: 'y' })
    const acks = [
      { worker: 'bot1', agentId: 'ag1', data: { label: 'z' } },
      { worker: 'bot2', agentId: 'ag9', data: { label: 'x' } },
    ]
    expect(await violations(input(store, { acks }))).toEqual({
      'every acknowledged submission is stored exactly once': [
        "bot1's submission for agent ag1 is stored with other data than acknowledged",
        "bot2's submission for agent ag9 was acknowledged but stored 0 times",
      ],
    })
  })

  it('names a unit two agents completed, an item done in two runs, and units left unfinished', async () => {
    await using store = await storeWithRun()
    await submit(store, 'r1', 'a', 'ag1', {})
    await submit(store, 'r1', 'a', 'ag2', {})
    await addRun(store, 'r2', 'open')
    await submit(store, 'r2', 'a', 'ag3', {})
    const found = await violations(input(store))
    expect(found).toEqual({
      'no unit is completed by two agents': ['unit r1-a-u has submissions of 2 agents (ag1, ag2)'],
      'no item is done twice': ['item {"id":"a"} (unit index 0) was done 2 times, in runs r1, r2'],
      'every unit ends completed': [
        `unit r1-b-u of run r1, item {"id":"b"} (unit index 0), ended 'launched'`,
        `unit r2-b-u of run r2, item {"id":"b"} (unit index 0), ended 'launched'`,
      ],
      'the run finishes': ['run r2 never ended'],
    })
  })

  it('reports why the run did not finish, stuck pages, and ignores runs from before the simulation', async () => {
    await using store = await storeWithRun()
    await submit(store, 'r1', 'a', 'ag1', {})
    await submit(store, 'r1', 'b', 'ag2', {})
    const stuck = [{ worker: 'bot3', agentId: 'ag7', what: 'AGENT_UNKNOWN (HTTP 403): gone' }]
    expect(
      await violations(input(store, { stuck, unfinished: 'the run did not finish within 5 s' })),
    ).toEqual({
      'the run finishes': ['the run did not finish within 5 s'],
      'no worker is left with a page that cannot go on': [
        'bot3 (agent ag7): AGENT_UNKNOWN (HTTP 403): gone',
      ],
    })
    expect(await violations(input(store, { since: 150 }))).toEqual({
      'the run finishes': ['no run was started'],
    })
  })

  it('writes JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}',
    )
  })
})
