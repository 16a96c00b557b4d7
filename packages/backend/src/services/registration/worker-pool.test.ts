import { AgentStatus, FailureReason } from '@faust/protocol'
import { deferred } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import type { TaskOptions } from '../../definition/define-task.js'
import type { AgentDetailsData } from '../../link/registration-answer.js'
import { toSubjectId } from '../../store/agent-ref.js'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { Store } from '../../store/store.js'
import { useTestStore } from '@faust/testing/store'
import { setOnboardingStatus } from '../context/agent-statuses.js'
import type { RunContext } from '../context/run-context.js'
import {
  makeRunContext,
  providerData,
  reserveFor,
  testTask,
  type TestRunContext,
} from '../test-support/run-context-fixture.js'
import type { AgentStarter } from './agent-starter.js'
import { QualityControl } from '../quality/quality-control.js'
import { WorkerPool } from './worker-pool.js'

/** An AgentStarter that records what the pool starts; onboarding goes `onboarding` as a runner's would. */
class FakeStarter implements AgentStarter {
  readonly unitStatuses = [AgentStatus.ACCEPTED, AgentStatus.IN_TASK] as const
  readonly startedUnits: AgentRecord[] = []
  readonly startedOnboarding: string[] = []
  readonly stoppedDeadlines: string[] = []
  readonly #ctx: RunContext

  constructor(ctx: RunContext) {
    this.#ctx = ctx
  }

  startUnit(agent: AgentRecord): Promise<void> {
    this.startedUnits.push(agent)
    return Promise.resolve()
  }

  async startOnboarding(onboardingId: string): Promise<void> {
    this.startedOnboarding.push(onboardingId)
    await setOnboardingStatus(this.#ctx, onboardingId, AgentStatus.ONBOARDING)
  }

  stopOnboardingDeadline(onboardingId: string): void {
    this.stoppedDeadlines.push(onboardingId)
  }
}

interface PoolFixture extends TestRunContext {
  readonly pool: WorkerPool
  readonly starter: FakeStarter
}

async function makePool(store: Store, options: Partial<TaskOptions> = {}): Promise<PoolFixture> {
  const fixture = await makeRunContext(store, testTask(options))
  const starter = new FakeStarter(fixture.ctx)
  return {
    ...fixture,
    starter,
    pool: new WorkerPool(fixture.ctx, starter, QualityControl.forRun(fixture.ctx)),
  }
}

/** Registers and, as the IO handler does after answering, starts what was granted. */
async function register(
  pool: WorkerPool,
  worker: string,
  registrationId = `a-${worker}`,
): Promise<AgentDetailsData> {
  const result = await pool.register(providerData(worker, registrationId), `req-${registrationId}`)
  await result.start?.()
  return result.details
}

function refusal(reason: keyof typeof FailureReason, workerId: string | null): object {
  return {
    agent_id: null,
    worker_id: workerId,
    init_task_data: null,
    failure_reason: FailureReason[reason],
  }
}

async function workerIdOf(store: Store, worker: string): Promise<string> {
  const record = await store.workers.find({ providerType: 'mock', workerName: `${worker}_sandbox` })
  if (record === null) throw new Error(`no worker ${worker}`)
  return record.id
}

/** Gives `worker` a completed unit of this task in an earlier run (it counts for maximumUnitsPerWorker). */
async function finishedEarlierUnit(store: Store, worker: string): Promise<void> {
  const earlier = await makeRunContext(store, testTask({ data: [{ earlier: true }] }))
  const agent = await reserveFor(store, earlier.run.unitIds[0] ?? '', { workerName: worker })
  await store.agents.setStatus(agent.id, AgentStatus.COMPLETED)
}

// The plain path (one group commit) and the path with task code on the way
// (`workerCanDoUnit`) implement the same order; both are checked.
const PATHS = [
  { path: 'plain', options: {} },
  { path: 'with workerCanDoUnit', options: { workerCanDoUnit: () => true } },
] as const

describe('WorkerPool', () => {
  const { store } = useTestStore('memory')

  describe.each(PATHS)('registration ($path)', ({ options }) => {
    it('grants the first launchable unit with its assignment data, and starts it after answering', async () => {
      const { pool, starter, run } = await makePool(store, options)
      const details = await register(pool, 'alice')
      const workerId = await workerIdOf(store, 'alice')
      expect(details).toMatchObject({
        request_id: 'req-a-alice',
        worker_id: workerId,
        init_task_data: { item: 0 },
        failure_reason: null,
      })
      const agent = await store.agents.get(details.agent_id ?? '')
      expect(agent).toMatchObject({
        unitId: run.unitIds[0],
        status: AgentStatus.IN_TASK,
        registrationId: 'a-alice',
      })
      expect(starter.startedUnits.map((started) => started.id)).toEqual([details.agent_id])
    })

    it('refuses with NO_AVAILABLE_UNITS once every unit is taken', async () => {
      const { pool } = await makePool(store, { ...options, data: [{ item: 0 }] })
      await register(pool, 'alice')
      const details = await register(pool, 'bob')
      expect(details).toMatchObject(refusal('NO_AVAILABLE_UNITS', await workerIdOf(store, 'bob')))
    })

    it('checks local qualifications first: a blocked worker over every limit is BLOCKED, with no worker id', async () => {
      const { pool } = await makePool(store, {
        ...options,
        allowedConcurrent: 1,
        maximumUnitsPerWorker: 1,
      })
      await register(pool, 'alice')
      await store.qualifications.grant({
        name: 'blocked',
        workerId: await workerIdOf(store, 'alice'),
        value: 1,
      })
      expect(await register(pool, 'alice', 'second')).toMatchObject(refusal('BLOCKED', null))
    })

    it('tells "no work right now" (a unit is held) from "none left" (every unit final)', async () => {
      const { pool, run } = await makePool(store, { ...options, data: [{ item: 0 }, { item: 1 }] })
      await register(pool, 'alice')
      await store.units.expire([run.unitIds[1] ?? ''])
      const first = await register(pool, 'bob')
      const bob = await workerIdOf(store, 'bob')
      expect(first).toMatchObject(refusal('NO_AVAILABLE_UNITS', bob))
      // Alice's unit could come back (a disconnect) until it is final too.
      await store.units.expire([run.unitIds[0] ?? ''])
      expect(await register(pool, 'bob', 'again')).toMatchObject(refusal('NO_UNITS_LEFT', bob))
    })

    it('refuses a blocked worker with BLOCKED and one lacking a qualification with NOT_QUALIFIED', async () => {
      const { pool } = await makePool(store, {
        ...options,
        qualifications: [{ qualificationName: 'skill', comparator: 'Exists' }],
      })
      const worker = await store.workers.findOrCreate({
        providerType: 'mock',
        workerName: 'eve_sandbox',
      })
      await store.qualifications.grant({ name: 'skill', workerId: worker.id, value: 1 })
      // "skill" must exist for the rule to be checked: somebody holds it.
      expect(await register(pool, 'nobody')).toMatchObject(refusal('NOT_QUALIFIED', null))
      await store.qualifications.grant({ name: 'blocked', workerId: worker.id, value: 1 })
      expect(await register(pool, 'eve')).toMatchObject(refusal('BLOCKED', null))
    })

    it("refuses a worker below a requirement's value, and grants one above it", async () => {
      const { pool } = await makePool(store, {
        ...options,
        qualifications: [{ qualificationName: 'skill', comparator: 'GreaterThan', value: 5 }],
      })
      for (const [name, value] of [
        ['low', 3],
        ['high', 7],
      ] as const) {
        const worker = await store.workers.findOrCreate({
          providerType: 'mock',
          workerName: `${name}_sandbox`,
        })
        await store.qualifications.grant({ name: 'skill', workerId: worker.id, value })
      }
      expect(await register(pool, 'low')).toMatchObject(refusal('NOT_QUALIFIED', null))
      expect((await register(pool, 'high')).agent_id).not.toBeNull()
    })

    it('checks allowedConcurrent before maximumUnitsPerWorker: TOO_MANY_CONCURRENT when both are reached', async () => {
      const { pool } = await makePool(store, {
        ...options,
        allowedConcurrent: 1,
        maximumUnitsPerWorker: 1,
      })
      await register(pool, 'alice')
      expect(await register(pool, 'alice', 'second')).toMatchObject(
        refusal('TOO_MANY_CONCURRENT', await workerIdOf(store, 'alice')),
      )
    })

    it('counts finished units of earlier runs of the task for maximumUnitsPerWorker (MAX_FOR_TASK)', async () => {
      await finishedEarlierUnit(store, 'alice')
      const { pool } = await makePool(store, { ...options, maximumUnitsPerWorker: 1 })
      expect(await register(pool, 'alice')).toMatchObject(
        refusal('MAX_FOR_TASK', await workerIdOf(store, 'alice')),
      )
      expect((await register(pool, 'bob')).agent_id).not.toBeNull()
    })

    it('gives a reload (same registration, same worker) the same agent, before any limit, and starts nothing new', async () => {
      const { pool, starter } = await makePool(store, { ...options, allowedConcurrent: 1 })
      const first = await register(pool, 'alice')
      const again = await pool.register(providerData('alice'), 'reload')
      expect(again.start).toBeUndefined()
      expect(again.details).toMatchObject({
        request_id: 'reload',
        agent_id: first.agent_id,
        worker_id: first.worker_id,
        init_task_data: { item: 0 },
        failure_reason: null,
      })
      expect(starter.startedUnits).toHaveLength(1)
    })

    it('answers a reload of an agent that lost its unit with TASK_MISSING, never its old unit', async () => {
      const { pool } = await makePool(store, options)
      const first = await register(pool, 'alice')
      await store.agents.setStatus(first.agent_id ?? '', AgentStatus.DISCONNECT)
      expect(await register(pool, 'alice')).toMatchObject(
        refusal('TASK_MISSING', first.worker_id ?? ''),
      )
    })

    it("refuses another worker replaying someone's registration id (REGISTRATION_TAKEN), naming nobody", async () => {
      const { pool, logger, ctx } = await makePool(store, options)
      const alice = await register(pool, 'alice', 'shared-link')
      const bob = await register(pool, 'bob', 'shared-link')
      expect(bob).toMatchObject(refusal('REGISTRATION_TAKEN', null))
      expect(logger.messages('warn')).toContain(
        "registration shared-link of worker 'alice_sandbox' refused to worker 'bob_sandbox'",
      )
      // Alice's reload still gets her agent.
      expect((await register(pool, 'alice', 'shared-link')).agent_id).toBe(alice.agent_id)
      expect(await store.agents.listForRun(ctx.taskRunId)).toHaveLength(1)
    })

    it('never gives one unit to two registrations at once', async () => {
      const { pool, ctx } = await makePool(store, { ...options, data: [{ item: 0 }, { item: 1 }] })
      const workers = ['w1', 'w2', 'w3', 'w4', 'w5']
      const answers = await Promise.all(workers.map((worker) => register(pool, worker)))
      const granted = answers.filter((details) => details.agent_id !== null)
      expect(granted).toHaveLength(2)
      const agents = await store.agents.listForRun(ctx.taskRunId)
      expect(new Set(agents.map((agent) => agent.unitId)).size).toBe(2)
      expect(answers.filter((details) => details.failure_reason !== null)).toHaveLength(3)
    })

    it("serialises one worker's registrations: two tabs at once cannot pass allowedConcurrent", async () => {
      const { pool } = await makePool(store, { ...options, allowedConcurrent: 1 })
      const [first, second] = await Promise.all([
        register(pool, 'alice', 'tab-1'),
        register(pool, 'alice', 'tab-2'),
      ])
      expect(first?.agent_id).not.toBeNull()
      expect(second).toMatchObject(refusal('TOO_MANY_CONCURRENT', await workerIdOf(store, 'alice')))
    })
  })

  describe('workerCanDoUnit', () => {
    it('is asked only after the limits, about units in creation order, and a refused unit is skipped', async () => {
      const asked: unknown[] = []
      const { pool } = await makePool(store, {
        data: [{ item: 0 }, { item: 1 }, { item: 2 }],
        maximumUnitsPerWorker: 1,
        workerCanDoUnit: (worker, unit) => {
          asked.push([worker.name, unit.data])
          return unit.data !== null && (unit.data as { item: number }).item === 1
        },
      })
      await finishedEarlierUnit(store, 'capped')
      expect(await register(pool, 'capped')).toMatchObject({
        failure_reason: FailureReason.MAX_FOR_TASK,
      })
      expect(asked).toEqual([])
      const details = await register(pool, 'alice')
      expect(details.init_task_data).toEqual({ item: 1 })
      expect(asked).toEqual([
        ['alice_sandbox', { item: 0 }],
        ['alice_sandbox', { item: 1 }],
      ])
    })

    it('refuses NO_AVAILABLE_UNITS when it accepts no unit, and a throwing hook counts as a no', async () => {
      const { pool, logger } = await makePool(store, {
        workerCanDoUnit: () => {
          throw new Error('hook broke')
        },
      })
      expect(await register(pool, 'alice')).toMatchObject({
        agent_id: null,
        failure_reason: FailureReason.NO_AVAILABLE_UNITS,
      })
      expect(logger.messages('error')).toContain(
        "task code 'workerCanDoUnit' threw; the run goes on",
      )
    })
  })

  describe('onboarding', () => {
    const onboarding = {
      data: { quiz: 'say yes' },
      validate: ({ outputs }: { outputs: unknown }) =>
        (outputs as { answer?: string }).answer === 'yes',
    }

    async function onboarded(
      store: Store,
      options: Partial<TaskOptions> = {},
    ): Promise<PoolFixture & { readonly subjectId: string; readonly onboardingId: string }> {
      const fixture = await makePool(store, { onboarding, ...options })
      const details = await register(fixture.pool, 'alice')
      const subjectId = details.agent_id ?? ''
      return { ...fixture, subjectId, onboardingId: subjectId.replace(/^onboarding_/, '') }
    }

    it('sends a new worker to onboarding with its data, and starts it after answering', async () => {
      const { starter, subjectId, onboardingId, statuses } = await onboarded(store)
      expect(subjectId).toBe(toSubjectId({ kind: 'onboarding', id: onboardingId }))
      expect(starter.startedOnboarding).toEqual([onboardingId])
      expect(statuses.of(subjectId)).toEqual([AgentStatus.ONBOARDING])
      const record = await store.onboardingAgents.get(onboardingId)
      expect(record).toMatchObject({ initData: onboarding.data, registrationId: 'a-alice' })
    })

    it('a pass grants the qualification, approves without pushing the verdict, and assigns a unit', async () => {
      const { pool, starter, subjectId, onboardingId, statuses } = await onboarded(store)
      const result = await pool.submitOnboarding(subjectId, { answer: 'yes' }, 'submit-1')
      await result.start?.()
      expect(result.details).toMatchObject({
        request_id: 'submit-1',
        init_task_data: { item: 0 },
        failure_reason: null,
      })
      expect(starter.stoppedDeadlines).toEqual([onboardingId])
      expect(starter.startedUnits.map((agent) => agent.id)).toEqual([result.details.agent_id])
      expect((await store.onboardingAgents.get(onboardingId))?.status).toBe(AgentStatus.APPROVED)
      expect(statuses.of(subjectId)).toEqual([AgentStatus.ONBOARDING, AgentStatus.WAITING])
      const workerId = await workerIdOf(store, 'alice')
      expect(await store.qualifications.getGrant({ name: 't-onboarding', workerId })).toMatchObject(
        { value: 1 },
      )
      // Approved: the next registration goes straight to a unit.
      expect(await register(pool, 'alice', 'later')).toMatchObject({
        init_task_data: { item: 1 },
        failure_reason: null,
      })
    })

    it('a fail rejects, grants `<name>-failed`, and every later registration is ONBOARDING_FAILED', async () => {
      const { pool, subjectId, onboardingId } = await onboarded(store)
      const workerId = await workerIdOf(store, 'alice')
      const result = await pool.submitOnboarding(subjectId, { answer: 'no' }, 'submit-1')
      expect(result.start).toBeUndefined()
      expect(result.details).toMatchObject(refusal('ONBOARDING_FAILED', workerId))
      expect((await store.onboardingAgents.get(onboardingId))?.status).toBe(AgentStatus.REJECTED)
      expect(
        await store.qualifications.getGrant({ name: 't-onboarding-failed', workerId }),
      ).not.toBeNull()
      expect(await register(pool, 'alice', 'fresh-link')).toMatchObject(
        refusal('ONBOARDING_FAILED', null),
      )
      // A reload of the rejected onboarding is refused too.
      expect(await register(pool, 'alice')).toMatchObject(refusal('ONBOARDING_FAILED', null))
    })

    it('a worker who failed the onboarding and was then blocked is told BLOCKED', async () => {
      const { pool, subjectId } = await onboarded(store)
      await pool.submitOnboarding(subjectId, { answer: 'no' }, 'submit-1')
      const workerId = await workerIdOf(store, 'alice')
      await store.qualifications.grant({ name: 'blocked', workerId, value: 1 })
      expect(await register(pool, 'alice', 'fresh-link')).toMatchObject(refusal('BLOCKED', null))
    })

    it('answers a repeated submit with the same verdict, addressed to its own request, validating once', async () => {
      const gate = deferred<boolean>()
      let validations = 0
      const { pool, subjectId } = await onboarded(store, {
        onboarding: {
          data: {},
          validate: () => {
            validations += 1
            return gate.promise
          },
        },
      })
      const first = pool.submitOnboarding(subjectId, { answer: 'yes' }, 'click-1')
      const second = pool.submitOnboarding(subjectId, { answer: 'yes' }, 'click-2')
      gate.resolve(true)
      const [a, b] = await Promise.all([first, second])
      const third = await pool.submitOnboarding(subjectId, { answer: 'yes' }, 'click-3')
      expect(validations).toBe(1)
      expect(a.details.agent_id).not.toBeNull()
      expect([b.details, third.details]).toEqual([
        { ...a.details, request_id: 'click-2' },
        { ...a.details, request_id: 'click-3' },
      ])
      expect(pool.stats().onboardingVerdicts).toBe(1)
    })

    it('gives a reload during onboarding the same onboarding agent, and refuses it to another worker', async () => {
      const { pool, subjectId } = await onboarded(store)
      expect((await pool.register(providerData('alice'), 'reload')).details.agent_id).toBe(
        subjectId,
      )
      expect(await register(pool, 'mallory', 'a-alice')).toMatchObject(
        refusal('REGISTRATION_TAKEN', null),
      )
    })

    it('refuses a submit for an onboarding it does not know with TASK_MISSING', async () => {
      const { pool } = await makePool(store, { onboarding })
      const result = await pool.submitOnboarding('onboarding_nobody', {}, 'r')
      expect(result.details).toMatchObject(refusal('TASK_MISSING', null))
    })

    it('sends nobody to onboarding while no unit is left for them', async () => {
      const { pool, ctx, run } = await makePool(store, { onboarding, data: [{ item: 0 }] })
      await store.units.expire(run.unitIds)
      expect(await register(pool, 'alice')).toMatchObject({
        failure_reason: FailureReason.NO_UNITS_LEFT,
      })
      expect(
        await store.onboardingAgents.findByRegistration({
          taskRunId: ctx.taskRunId,
          registrationId: 'a-alice',
        }),
      ).toBeNull()
    })
  })

  describe('stats()', () => {
    it('remembers workers whose row it read, and one verdict per onboarding', async () => {
      const { pool } = await makePool(store)
      expect(pool.stats()).toEqual({ onboardingVerdicts: 0, knownWorkers: 0 })
      await register(pool, 'alice')
      // A row created in this registration's batch is only remembered once read back.
      expect(pool.stats().knownWorkers).toBe(0)
      await register(pool, 'alice', 'again')
      await register(pool, 'alice', 'and-again')
      expect(pool.stats().knownWorkers).toBe(1)
    })
  })
})
