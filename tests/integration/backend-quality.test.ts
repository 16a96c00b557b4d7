// Screening and gold units through the real router (docs/protocol.md §4.2 steps 6–7, §7.5).
import { describe, expect, it } from 'vitest'
import { AgentStatus, FailureReason } from '@faust/protocol'
import type { GoldOptions, ScreeningOptions } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import { runCli, SEVERAL_PROCESSES } from '../support/cli-process.js'
import {
  hold,
  nextCall,
  openHarness,
  type AgentDetails,
  type RunSession,
} from '@faust/testing/backend'

const PASSED = 'label-screening-passed'
const FAILED = 'label-screening-failed'

const screening = (options: Partial<ScreeningOptions> = {}): { screening: ScreeningOptions } => ({
  screening: {
    data: [{ question: 's1' }, { question: 's2' }],
    validate: ({ outputs }) => (outputs as { answer?: unknown }).answer === 'ok',
    maxUnits: 5,
    ...options,
  },
})

const GOLDS = [
  { text: 'gold-1', expected: 'yes' },
  { text: 'gold-2', expected: 'no' },
]

const golds = (options: Partial<GoldOptions> = {}): { golds: GoldOptions } => ({
  golds: {
    units: GOLDS,
    check: ({ inputs, outputs }) =>
      (outputs as { answer?: unknown }).answer === (inputs as { expected: string }).expected,
    maxUnits: 10,
    ...options,
  },
})

async function grantsOf(store: Store, workerId: string): Promise<Record<string, number>> {
  const grants = await store.qualifications.listForWorker(workerId)
  return Object.fromEntries(grants.map((grant) => [grant.qualificationName, grant.value]))
}

/** The unit behind an answer's agent. */
async function unitOf(store: Store, answer: AgentDetails) {
  const agent = await store.agents.get(answer.agent_id!)
  const unit = await store.units.get(agent!.unitId)
  return unit!
}

/** Submits and waits until the backend has scored it (the log line follows the grant). */
async function submitScored(
  h: { logger: { next(text: string): Promise<unknown> } },
  s: RunSession,
  answer: AgentDetails,
  data: unknown,
  what: 'screening scored' | 'gold scored',
): Promise<void> {
  const scored = h.logger.next(what)
  expect((await s.submit(answer.agent_id!, data)).status).toBe(200)
  await scored
}

describe('screening units', () => {
  it('gives a new worker a screening unit of its own; a pass grants the qualification, then real units', async () => {
    await using h = await openHarness()
    const s = await h.startRun(screening())
    const first = await s.register('w1', 'a1')
    expect(first).toMatchObject({ init_task_data: { question: 's1' }, failure_reason: null })
    const unit = await unitOf(h.store, first)
    expect(unit.unitIndex).toBe(-1)
    expect(s.run.units.map((real) => real.assignmentId)).not.toContain(unit.assignmentId)
    const assignment = await h.store.assignments.getWithUnits(unit.assignmentId)
    expect(assignment?.units).toHaveLength(1)
    // The screening unit is not the run's work.
    expect(await s.run.progress()).toMatchObject({ total: 2, launched: 2, inProgress: 0 })

    // A reload during screening resumes the same screening agent.
    const reload = await s.register('w1', 'a1')
    expect(reload).toEqual({ ...first, request_id: reload.request_id })
    expect(await h.store.agents.listForRun(s.runId)).toHaveLength(1)

    // The next registration, arriving while the verdict is being written,
    // waits for it (or it got a second screening unit).
    const granting = hold(h.store.qualifications, 'grant')
    // Answered once the submission and its verdict are stored (stored_acks, issue 11).
    const handedIn = s.submit(first.agent_id!, { answer: 'ok' })
    await granting.entered()
    const waiting = h.logger.next('registration waits for submissions being scored')
    const registering = s.register('w1', 'a2')
    await waiting
    granting.release()
    const real = await registering
    expect((await handedIn).status).toBe(200)
    expect(real).toMatchObject({ init_task_data: { text: 'a' }, failure_reason: null })
    expect((await unitOf(h.store, real)).unitIndex).toBe(0)
    expect(await grantsOf(h.store, first.worker_id!)).toEqual({ [PASSED]: 1 })

    // Another worker gets the next screening item.
    expect((await s.register('w2', 'a1')).init_task_data).toEqual({ question: 's2' })

    // Results leave the screening out unless asked.
    const done = h.logger.next('repeated')
    await s.submit(real.agent_id!, { label: 'pos' })
    await s.submit(real.agent_id!, { label: 'pos' })
    await done
    const results = await h.store.results.exportSubmissions({ taskName: 'label' })
    expect(results.map((row) => [row.unitKind, row.data])).toEqual([['unit', { label: 'pos' }]])
    const all = await h.store.results.exportSubmissions({
      taskName: 'label',
      includeQualityControl: true,
    })
    expect(all.map((row) => [row.unitKind, row.unitIndex, row.sharedData])).toEqual([
      ['screening', -1, { question: 's1' }],
      ['unit', 0, { text: 'a' }],
    ])
  })

  it('grants the block qualification on a fail, and refuses the worker afterwards', async () => {
    await using h = await openHarness()
    const s = await h.startRun(screening())
    const first = await s.register('w1', 'a1')
    expect((await s.submit(first.agent_id!, { answer: 'wrong' })).status).toBe(200)
    for (const assignment of ['a2', 'a3']) {
      expect(await s.register('w1', assignment)).toMatchObject({
        agent_id: null,
        worker_id: null,
        failure_reason: FailureReason.NOT_QUALIFIED,
      })
    }
    expect(await grantsOf(h.store, first.worker_id!)).toEqual({ [FAILED]: 1 })
    expect((await h.store.agents.listForRun(s.runId)).map((agent) => agent.status)).toEqual([
      AgentStatus.COMPLETED,
    ])
  })

  it('launches at most maxUnits screening units, and none once the generator is done', async () => {
    await using h = await openHarness()
    const capped = await h.startRun(
      screening({
        data: function* endless() {
          for (let n = 0; ; n += 1) yield { n }
        },
        maxUnits: 2,
      }),
    )
    expect((await capped.register('w1')).init_task_data).toEqual({ n: 0 })
    expect((await capped.register('w2')).init_task_data).toEqual({ n: 1 })
    expect(await capped.register('w3')).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.NO_AVAILABLE_UNITS,
    })
    // A worker who passed elsewhere still gets real units.
    await h.grant('veteran', PASSED, 1)
    expect((await capped.register('veteran')).init_task_data).toEqual({ text: 'a' })

    const short = await h.startRun({
      name: 'label-short',
      ...screening({
        data: function* one() {
          yield { only: true }
        },
      }),
    })
    expect((await short.register('w4')).init_task_data).toEqual({ only: true })
    expect((await short.register('w5')).failure_reason).toBe(FailureReason.NO_AVAILABLE_UNITS)
  })

  it('with data false, validates the first real unit instead, and keeps it as a result', async () => {
    await using h = await openHarness()
    const s = await h.startRun(screening({ data: false }))
    const first = await s.register('w1', 'a1')
    expect((await unitOf(h.store, first)).unitIndex).toBe(0)
    await submitScored(h, s, first, { answer: 'wrong' }, 'screening scored')
    expect(await grantsOf(h.store, first.worker_id!)).toEqual({ [FAILED]: 1 })
    expect((await s.register('w1', 'a2')).failure_reason).toBe(FailureReason.NOT_QUALIFIED)

    const second = await s.register('w2', 'a1')
    await submitScored(h, s, second, { answer: 'ok' }, 'screening scored')
    expect(await grantsOf(h.store, second.worker_id!)).toEqual({ [PASSED]: 1 })
    const results = await h.store.results.exportSubmissions({ taskName: 'label' })
    expect(results.map((row) => row.unitKind)).toEqual(['unit', 'unit'])
  })

  it('comes after onboarding: a passed onboarding is answered with the screening unit', async () => {
    await using h = await openHarness()
    const s = await h.startRun({
      ...screening(),
      onboarding: { data: { quiz: true }, validate: () => true },
    })
    const onboarding = await s.register('w1')
    expect(onboarding.agent_id).toMatch(/^onboarding_/)
    const verdict = await s.submitOnboarding(onboarding.agent_id!, { done: true })
    expect(verdict).toMatchObject({ init_task_data: { question: 's1' }, failure_reason: null })
    expect((await unitOf(h.store, verdict)).unitIndex).toBe(-1)
  })

  it('expires an abandoned screening unit, and the run ends once every real unit is done', async () => {
    await using h = await openHarness()
    const s = await h.startRun({ ...screening(), assignmentDurationSeconds: 60 })
    const abandoned = await s.register('w1', 'a1')
    // Expired rather than released: it was made for this worker alone.
    const expired = nextCall(h.store.units, 'expire')
    h.t.clock.advance(60_000)
    expect(await expired).toEqual([[(await unitOf(h.store, abandoned)).id]])
    expect(await unitOf(h.store, abandoned)).toMatchObject({ status: 'expired', unitIndex: -1 })
    expect((await h.store.agents.get(abandoned.agent_id!))?.status).toBe(AgentStatus.DISCONNECT)

    await h.grant('veteran', PASSED, 1)
    for (const assignment of ['a1', 'a2']) {
      const answer = await s.register('veteran', assignment)
      expect((await unitOf(h.store, answer)).unitIndex).toBe(0)
      await s.submit(answer.agent_id!, { label: assignment })
      // One unit at a time: wait for the completion before the next.
      await s.progressWhere((progress) => progress.inProgress === 0)
    }
    const progress = await s.run.done
    expect(progress).toMatchObject({ total: 2, completed: 2, done: true })
  })
})

describe('gold units', () => {
  it('gives a new worker a gold first (minGolds 1); a right gold is counted and a real unit comes next', async () => {
    await using h = await openHarness()
    const s = await h.startRun(golds())
    const first = await s.register('w1', 'a1')
    expect(first.init_task_data).toEqual(GOLDS[0])
    expect((await unitOf(h.store, first)).unitIndex).toBe(-2)

    // Submitted and the next registration at once: it sees the count.
    await s.submit(first.agent_id!, { answer: 'yes' })
    const real = await s.register('w1', 'a2')
    expect(real.init_task_data).toEqual({ text: 'a' })
    expect(await grantsOf(h.store, first.worker_id!)).toEqual({ 'label-correct-golds': 1 })

    await s.submit(real.agent_id!, { label: 'pos' })
    // One right gold and one unit done: the reference's schedule asks for no gold yet.
    const next = await s.register('w1', 'a3')
    expect(next.init_task_data).toEqual({ text: 'b' })
    expect(await grantsOf(h.store, first.worker_id!)).toEqual({
      'label-correct-golds': 1,
      'label-completed-count': 1,
    })
    const all = await h.store.results.exportSubmissions({
      taskName: 'label',
      includeQualityControl: true,
    })
    expect(all.map((row) => row.unitKind)).toEqual(['gold', 'unit'])
  })

  it('disqualifies a worker past maxIncorrect wrong golds, and refuses it afterwards', async () => {
    await using h = await openHarness()
    const s = await h.startRun(golds({ maxIncorrect: 1, qualificationBase: 'qc' }))
    expect((await h.store.taskRuns.get(s.runId))?.config).toMatchObject({
      allowedConcurrent: 1,
      golds: { qualificationBase: 'qc', minGolds: 1, maxIncorrect: 1, maxUnits: 10 },
    })
    const first = await s.register('w1', 'a1')
    await s.submit(first.agent_id!, { answer: 'no' })
    // One wrong is tolerated: still below minGolds right, so another gold (the next one).
    const second = await s.register('w1', 'a2')
    expect(second.init_task_data).toEqual(GOLDS[1])
    expect(await grantsOf(h.store, first.worker_id!)).toEqual({ 'qc-wrong-golds': 1 })

    await s.submit(second.agent_id!, { answer: 'yes' })
    expect(await s.register('w1', 'a3')).toMatchObject({
      agent_id: null,
      worker_id: null,
      failure_reason: FailureReason.NOT_QUALIFIED,
    })
    expect(await grantsOf(h.store, first.worker_id!)).toEqual({
      'qc-wrong-golds': 2,
      'qc-disqualified': 1,
    })
    // No real unit was ever given.
    const units = await Promise.all(
      (await h.store.agents.listForRun(s.runId)).map((agent) => h.store.units.get(agent.unitId)),
    )
    expect(units.map((unit) => unit?.unitIndex)).toEqual([-2, -2])
  })

  it("follows the task's needsGold within maxUnits, and refuses when getGold has none", async () => {
    await using h = await openHarness()
    const asked: unknown[] = []
    const s = await h.startRun(
      golds({
        minGolds: 0,
        maxUnits: 1,
        needsGold: (counts) => {
          asked.push(counts)
          return true
        },
      }),
    )
    const gold = await s.register('w1', 'a1')
    expect((await unitOf(h.store, gold)).unitIndex).toBe(-2)
    expect(asked).toEqual([{ completed: 0, correct: 0, wrong: 0, minGolds: 0 }])
    await s.submit(gold.agent_id!, { answer: 'yes' })
    // The one gold allowed is launched: real units from now on.
    expect((await s.register('w1', 'a2')).init_task_data).toEqual({ text: 'a' })
    expect((await s.register('w2', 'a1')).init_task_data).toEqual({ text: 'b' })

    // Below minGolds, a gold whatever the task's schedule says.
    const never = await h.startRun({ name: 'label-never', ...golds({ needsGold: () => false }) })
    const owed = await never.register('w4')
    expect(owed.init_task_data).toEqual(GOLDS[0])
    await never.submit(owed.agent_id!, { answer: 'yes' })
    expect((await never.register('w4', 'next')).init_task_data).toEqual({ text: 'a' })

    const none = await h.startRun({
      name: 'label-none',
      golds: { getGold: () => undefined, check: () => true, maxUnits: 3 },
    })
    expect(await none.register('w3')).toMatchObject({
      agent_id: null,
      failure_reason: FailureReason.NO_AVAILABLE_UNITS,
    })
  })

  it('are left out of `faust results` unless --include-qa', SEVERAL_PROCESSES, async () => {
    await using h = await openHarness()
    const s = await h.startRun(golds())
    const gold = await s.register('w1', 'a1')
    await s.submit(gold.agent_id!, { answer: 'yes' })
    const real = await s.register('w1', 'a2')
    const stored = s.progressWhere((progress) => progress.completed === 1)
    await s.submit(real.agent_id!, { label: 'pos' })
    await stored

    const rows = async (...flags: string[]): Promise<Record<string, unknown>[]> => {
      const result = await runCli(['results', 'label', '--data-dir', h.dataDir, ...flags])
      expect(result.code).toBe(0)
      return result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    }
    expect((await rows()).map((row) => [row['unitKind'], row['data']])).toEqual([
      ['unit', { label: 'pos' }],
    ])
    expect(
      (await rows('--include-qa')).map((row) => [row['unitKind'], row['unitIndex'], row['data']]),
    ).toEqual([
      ['gold', -2, { answer: 'yes' }],
      ['unit', 0, { label: 'pos' }],
    ])
  })
})
