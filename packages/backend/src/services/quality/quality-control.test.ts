import { AgentStatus } from '@faust/protocol'
import { deferred } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import type { TaskOptions } from '../../definition/define-task.js'
import type { GoldCounts } from '../../definition/quality-options.js'
import type { Store } from '../../store/store.js'
import { useTestStore } from '@faust/testing/store'
import { UnitStatus } from '../../store/unit-status.js'
import type { WorkerRecord } from '../../store/workers-repository.js'
import {
  makeRunContext,
  testTask,
  type TestRunContext,
} from '../test-support/run-context-fixture.js'
import { GOLD_UNIT_INDEX, QualityControl, SCREENING_UNIT_INDEX } from './quality-control.js'

interface QualityFixture extends TestRunContext {
  readonly quality: QualityControl
}

async function makeQuality(store: Store, options: Partial<TaskOptions>): Promise<QualityFixture> {
  const fixture = await makeRunContext(store, testTask(options))
  const quality = QualityControl.forRun(fixture.ctx)
  if (quality === null) throw new Error('expected quality control')
  return { ...fixture, quality }
}

function worker(store: Store, name: string): Promise<WorkerRecord> {
  return store.workers.findOrCreate({ providerType: 'mock', workerName: name })
}

async function grants(store: Store, workerId: string): Promise<Record<string, number>> {
  const list = await store.qualifications.listForWorker(workerId)
  return Object.fromEntries(list.map((grant) => [grant.qualificationName, grant.value]))
}

const screening = {
  data: [{ q: 'first' }, { q: 'second' }],
  validate: ({ outputs }: { outputs: unknown }) => outputs === 'right',
  maxUnits: 2,
}

const golds = {
  units: [{ gold: 'a' }, { gold: 'b' }],
  check: ({ outputs }: { outputs: unknown }) => outputs === 'right',
  maxUnits: 10,
}

describe('QualityControl', () => {
  const { store } = useTestStore('memory')

  describe('forRun()', () => {
    it('is null without screening or golds, and a quality control otherwise', async () => {
      const plain = await makeRunContext(store, testTask())
      expect(QualityControl.forRun(plain.ctx)).toBeNull()
      const screened = await makeRunContext(store, testTask({ screening }))
      expect(QualityControl.forRun(screened.ctx)).toBeInstanceOf(QualityControl)
    })

    it('calls a negative unit index special', () => {
      expect(QualityControl.isSpecial(SCREENING_UNIT_INDEX)).toBe(true)
      expect(QualityControl.isSpecial(GOLD_UNIT_INDEX)).toBe(true)
      expect(QualityControl.isSpecial(0)).toBe(false)
    })
  })

  describe('screening', () => {
    it('refuses workers holding the block qualification', async () => {
      const { quality } = await makeQuality(store, { screening })
      expect(quality.requirements()).toEqual([
        { qualificationName: 't-screening-failed', comparator: 'DoesNotExist' },
      ])
    })

    it('hands out each screening item once, in order, up to maxUnits, then refuses new workers', async () => {
      const { quality } = await makeQuality(store, { screening: { ...screening, maxUnits: 2 } })
      const routes = []
      for (const name of ['a', 'b', 'c'])
        routes.push(await quality.route(await worker(store, name)))
      expect(routes).toEqual([
        { kind: 'special', unitIndex: SCREENING_UNIT_INDEX, data: { q: 'first' } },
        { kind: 'special', unitIndex: SCREENING_UNIT_INDEX, data: { q: 'second' } },
        { kind: 'refuse', reason: 'NO_AVAILABLE_UNITS' },
      ])
    })

    it('pulls a generator lazily, and a throwing one ends screening with an error logged', async () => {
      let pulled = 0
      const { quality, logger } = await makeQuality(store, {
        screening: {
          ...screening,
          maxUnits: 5,
          data: function* () {
            pulled += 1
            yield 'one'
            pulled += 1
            throw new Error('out of items')
          },
        },
      })
      expect(pulled).toBe(0)
      expect(await quality.route(await worker(store, 'a'))).toMatchObject({ data: 'one' })
      expect(pulled).toBe(1)
      expect(await quality.route(await worker(store, 'b'))).toEqual({
        kind: 'refuse',
        reason: 'NO_AVAILABLE_UNITS',
      })
      expect(logger.messages('error')).toContain('screening.data threw; no more screening units')
    })

    it('sends a worker who passed, or every worker with `data: false`, to a real unit', async () => {
      const { quality } = await makeQuality(store, { screening })
      const passed = await worker(store, 'passed')
      await store.qualifications.grant({
        name: 't-screening-passed',
        workerId: passed.id,
        value: 1,
      })
      expect(await quality.route(passed)).toEqual({ kind: 'regular' })
      const noUnits = await makeQuality(store, { screening: { ...screening, data: false } })
      expect(await noUnits.quality.route(await worker(store, 'new'))).toEqual({ kind: 'regular' })
    })

    it('launches a screening unit as its own launched assignment, reserved for the worker', async () => {
      const { quality, ctx } = await makeQuality(store, { screening })
      const alice = await worker(store, 'alice')
      const reservation = await quality.launch(
        alice,
        { unitIndex: SCREENING_UNIT_INDEX, data: { q: 'first' } },
        { registrationId: 'reg', statuses: [AgentStatus.ACCEPTED, AgentStatus.IN_TASK] },
      )
      const agent = reservation?.agent
      expect(agent).toMatchObject({
        workerId: alice.id,
        taskRunId: ctx.taskRunId,
        status: AgentStatus.IN_TASK,
        registrationId: 'reg',
        initData: { q: 'first' },
      })
      const unit = await store.units.get(agent?.unitId ?? '')
      expect(unit).toMatchObject({ unitIndex: SCREENING_UNIT_INDEX, status: UnitStatus.ASSIGNED })
      expect((await store.assignments.get(unit?.assignmentId ?? ''))?.sharedData).toEqual({
        q: 'first',
      })
    })

    it('grants the passed qualification on a pass, the block one on a fail or a throw', async () => {
      const { quality } = await makeQuality(store, {
        screening: {
          ...screening,
          validate: ({ outputs }) => {
            if (outputs === 'boom') throw new Error('validator bug')
            return outputs === 'right'
          },
        },
      })
      const outcomes: Record<string, Record<string, number>> = {}
      for (const outputs of ['right', 'wrong', 'boom']) {
        const w = await worker(store, outputs)
        await quality.score({
          unitIndex: SCREENING_UNIT_INDEX,
          workerId: w.id,
          inputs: {},
          outputs,
        })
        outcomes[outputs] = await grants(store, w.id)
      }
      expect(outcomes).toEqual({
        right: { 't-screening-passed': 1 },
        wrong: { 't-screening-failed': 1 },
        boom: { 't-screening-failed': 1 },
      })
    })

    it("with `data: false`, validates a worker's first real unit only", async () => {
      let validated = 0
      const { quality } = await makeQuality(store, {
        screening: {
          ...screening,
          data: false,
          validate: () => {
            validated += 1
            return true
          },
        },
      })
      const alice = await worker(store, 'alice')
      for (let i = 0; i < 2; i++)
        await quality.score({ unitIndex: 0, workerId: alice.id, inputs: {}, outputs: 'x' })
      expect(validated).toBe(1)
      expect(await grants(store, alice.id)).toEqual({ 't-screening-passed': 1 })
    })
  })

  describe('golds', () => {
    it('refuses disqualified workers', async () => {
      const { quality } = await makeQuality(store, { golds })
      expect(quality.requirements()).toEqual([
        { qualificationName: 't-disqualified', comparator: 'DoesNotExist' },
      ])
    })

    it('gives a gold until minGolds are right, then asks needsGold with the counts', async () => {
      const asked: GoldCounts[] = []
      const { quality } = await makeQuality(store, {
        golds: {
          ...golds,
          needsGold: (counts) => {
            asked.push(counts)
            return false
          },
        },
      })
      const alice = await worker(store, 'alice')
      expect(await quality.route(alice)).toEqual({
        kind: 'special',
        unitIndex: GOLD_UNIT_INDEX,
        data: { gold: 'a' },
      })
      expect(asked).toEqual([])
      await quality.score({
        unitIndex: GOLD_UNIT_INDEX,
        workerId: alice.id,
        inputs: {},
        outputs: 'right',
      })
      expect(await quality.route(alice)).toEqual({ kind: 'regular' })
      expect(asked).toEqual([{ completed: 0, correct: 1, wrong: 0, minGolds: 1 }])
    })

    it('counts right, wrong and completed units, and disqualifies one wrong gold past maxIncorrect', async () => {
      const { quality } = await makeQuality(store, { golds: { ...golds, maxIncorrect: 1 } })
      const alice = await worker(store, 'alice')
      const score = (unitIndex: number, outputs: string) =>
        quality.score({ unitIndex, workerId: alice.id, inputs: {}, outputs })
      await score(GOLD_UNIT_INDEX, 'right')
      await score(0, 'anything')
      await score(GOLD_UNIT_INDEX, 'wrong')
      expect(await grants(store, alice.id)).toEqual({
        't-correct-golds': 1,
        't-completed-count': 1,
        't-wrong-golds': 1,
      })
      await score(GOLD_UNIT_INDEX, 'wrong')
      expect(await grants(store, alice.id)).toMatchObject({
        't-wrong-golds': 2,
        't-disqualified': 1,
      })
      expect(await quality.route(alice)).toEqual({ kind: 'refuse', reason: 'NOT_QUALIFIED' })
    })

    it('launches at most maxUnits golds, and gives the count back when there is no gold', async () => {
      let available = false
      const { quality } = await makeQuality(store, {
        golds: {
          check: () => true,
          maxUnits: 1,
          getGold: () => (available ? { gold: 'x' } : undefined),
        },
      })
      const refused = { kind: 'refuse', reason: 'NO_AVAILABLE_UNITS' }
      expect(await quality.route(await worker(store, 'a'))).toEqual(refused)
      available = true
      expect(await quality.route(await worker(store, 'b'))).toMatchObject({ kind: 'special' })
      expect(await quality.route(await worker(store, 'c'))).toEqual(refused)
    })
  })

  describe('track() and settled()', () => {
    it('makes routing wait for a submission being scored, but not for later ones', async () => {
      const { quality, logger } = await makeQuality(store, { screening })
      const alice = await worker(store, 'alice')
      const first = deferred<void>()
      void quality.track(first.promise)
      let routed = false
      const routing = quality.route(alice).then((route) => {
        routed = true
        return route
      })
      const later = deferred<void>()
      void quality.track(later.promise)
      later.resolve()
      // Time enough for several queries: routing would be done by now if it did not wait.
      for (let i = 0; i < 5; i++) await store.qualifications.listForWorker(alice.id)
      expect(routed).toBe(false)
      first.resolve()
      expect(await routing).toMatchObject({ kind: 'special' })
      expect(logger.entries).toContainEqual({
        level: 'debug',
        details: { submissions: 1 },
        message: 'registration waits for submissions being scored',
      })
    })

    it('returns what it tracks, failures included', async () => {
      const { quality } = await makeQuality(store, { screening })
      await expect(quality.track(Promise.resolve(7))).resolves.toBe(7)
      await expect(quality.track(Promise.reject(new Error('x')))).rejects.toThrow('x')
      await quality.settled()
    })
  })
})
