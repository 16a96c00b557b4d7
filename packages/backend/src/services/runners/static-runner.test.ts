import { AgentStatus, type UploadDescriptor } from '@faust/protocol'
import { deferred, type Deferred } from '@faust/testing'
import { describe, expect, it } from 'vitest'
import type { TaskOptions } from '../../definition/define-task.js'
import type { CrowdProvider, ProviderUnit } from '../../providers/crowd-provider.js'
import { mockProvider } from '../../providers/mock-provider.js'
import type { AgentRecord } from '../../store/agents-repository.js'
import type { Store } from '../../store/store.js'
import { useTestStore } from '@faust/testing/store'
import { UnitStatus } from '../../store/unit-status.js'
import type { UploadFetcher } from '../context/upload-fetcher.js'
import {
  Recorder,
  makeRunContext,
  reserveFor,
  testTask,
  type TestRunContext,
} from '../test-support/run-context-fixture.js'
import { QualityControl } from '../quality/quality-control.js'
import { StaticRunner } from './static-runner.js'

/** An UploadFetcher that records each copy; `hold` makes the next copies wait for the test. */
class FakeFetcher implements UploadFetcher {
  readonly copies: { filename: string; destination: string }[] = []
  /** Every copy begun, by file name. */
  readonly begun = new Recorder<string>()
  gate: Deferred<void> | null = null
  failure: Error | null = null

  async fetch(filename: string, destination: string): Promise<void> {
    this.begun.record(filename)
    if (this.gate !== null) await this.gate.promise
    if (this.failure !== null) throw this.failure
    this.copies.push({ filename, destination })
  }
}

interface RunnerFixture extends TestRunContext {
  readonly runner: StaticRunner
  readonly fetcher: FakeFetcher
  /** One entry per `onUnitChanged`. */
  readonly changes: Recorder<number>
}

const DURATION_S = 60

async function makeRunner(
  store: Store,
  options: Partial<TaskOptions> = {},
  provider: CrowdProvider = mockProvider,
): Promise<RunnerFixture> {
  const fixture = await makeRunContext(
    store,
    testTask({ assignmentDurationSeconds: DURATION_S, ...options }),
    { provider },
  )
  const fetcher = new FakeFetcher()
  const changes = new Recorder<number>()
  const runner = new StaticRunner(fixture.ctx, {
    fetcher,
    events: {
      onUnitChanged: () => {
        changes.record(changes.entries.length + 1)
      },
    },
    // Screening units are scored by the run's quality control, as a run wires it.
    quality: QualityControl.forRun(fixture.ctx),
  })
  return { ...fixture, runner, fetcher, changes }
}

/** A unit reserved for `worker` and started, as the worker pool does it. */
async function started(fixture: RunnerFixture, worker = 'alice', unit = 0): Promise<AgentRecord> {
  const agent = await reserveFor(fixture.ctx.store, fixture.run.unitIds[unit] ?? '', {
    workerName: worker,
    statuses: fixture.runner.unitStatuses,
  })
  await fixture.runner.startUnit(agent)
  return agent
}

const upload: UploadDescriptor = {
  filename: 'abc123.png',
  originalname: 'photo.png',
  fieldname: 'photo',
  encoding: '7bit',
  mimetype: 'image/png',
  destination: '/router/uploads',
  path: '/router/uploads/abc123.png',
  size: 3,
}

describe('StaticRunner', () => {
  const { store } = useTestStore('memory')

  describe('units', () => {
    it('reserves into `in task`, and starting pushes it and reports the change', async () => {
      const fixture = await makeRunner(store)
      expect(fixture.runner.unitStatuses).toEqual([AgentStatus.ACCEPTED, AgentStatus.IN_TASK])
      const agent = await started(fixture)
      expect(fixture.statuses.of(agent.id)).toEqual([AgentStatus.IN_TASK])
      expect(fixture.changes.entries).toHaveLength(1)
    })

    it('releases the unit of a worker who does not submit within the assignment duration', async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      fixture.clock.advance(DURATION_S * 1000 - 1)
      expect((await store.agents.get(agent.id))?.status).toBe(AgentStatus.IN_TASK)
      fixture.clock.advance(1)
      await fixture.changes.waitFor((n) => n === 2, 'the release')
      expect((await store.agents.get(agent.id))?.status).toBe(AgentStatus.DISCONNECT)
      expect(await store.units.get(agent.unitId)).toMatchObject({
        status: UnitStatus.LAUNCHED,
        agentId: null,
      })
      expect(fixture.statuses.of(agent.id)).toEqual([AgentStatus.IN_TASK, AgentStatus.DISCONNECT])
    })

    it('stores a submission, completes the agent, disarms its deadline, then tells the provider and the hook', async () => {
      const marked: ProviderUnit[] = []
      const submitted: unknown[] = []
      const provider: CrowdProvider = {
        ...mockProvider,
        markDone: (unit) => {
          marked.push(unit)
          return Promise.resolve()
        },
      }
      const fixture = await makeRunner(
        store,
        {
          hooks: {
            onUnitSubmitted: (event) => {
              submitted.push(event)
            },
          },
        },
        provider,
      )
      const agent = await started(fixture)
      await fixture.runner.submit(agent.id, { answer: 42 })
      expect((await store.submissions.get(agent.id))?.data).toEqual({ answer: 42 })
      expect(fixture.statuses.of(agent.id)).toEqual([AgentStatus.IN_TASK, AgentStatus.COMPLETED])
      expect(fixture.clock.pendingTimers).toBe(0)
      expect(marked).toEqual([
        expect.objectContaining({
          unitId: agent.unitId,
          agentId: agent.id,
          workerName: 'alice_sandbox',
        }),
      ])
      expect(submitted).toEqual([
        expect.objectContaining({
          agentId: agent.id,
          data: { answer: 42 },
          unit: expect.objectContaining({ id: agent.unitId, data: { item: 0 } }) as unknown,
          worker: expect.objectContaining({ name: 'alice_sandbox' }) as unknown,
        }),
      ])
    })

    it("copies a submission's uploads into the agent's folder first and stores the data naming the copies", async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      await fixture.runner.submit(agent.id, { files: [upload], note: 'hi' })
      const folder = `${fixture.ctx.runDir}/${agent.assignmentId}/${agent.id}`
      expect(fixture.fetcher.copies).toEqual([
        { filename: upload.filename, destination: `${folder}/${upload.filename}` },
      ])
      const stored = await store.submissions.get(agent.id)
      expect(stored?.data).toEqual({
        files: [upload.filename],
        filesByFields: { photo: [upload.filename] },
        note: 'hi',
      })
      expect(stored?.files).toEqual([
        expect.objectContaining({
          fieldName: 'photo',
          originalName: 'photo.png',
          storedPath: `runs/${fixture.ctx.taskRunId}/${agent.assignmentId}/${agent.id}/${upload.filename}`,
        }),
      ])
    })

    it('leaves the agent working when its uploads cannot be copied', async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      fixture.fetcher.failure = new Error('router gone')
      await expect(fixture.runner.submit(agent.id, { files: [upload] })).rejects.toThrow(
        'router gone',
      )
      expect((await store.agents.get(agent.id))?.status).toBe(AgentStatus.IN_TASK)
      expect(await store.submissions.get(agent.id)).toBeNull()
    })

    it('ignores an identical repeated submission and keeps a different one only in the error log', async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      await fixture.runner.submit(agent.id, { answer: 1 })
      await fixture.runner.submit(agent.id, { answer: 1 })
      expect(await store.logs.listErrorLogs({ kind: 'agent', id: agent.id })).toEqual([])
      await fixture.runner.submit(agent.id, { answer: 2 })
      expect((await store.submissions.get(agent.id))?.data).toEqual({ answer: 1 })
      const logs = await store.logs.listErrorLogs({ kind: 'agent', id: agent.id })
      expect(logs.map((log) => log.data)).toEqual([
        { reason: 'different repeated submission', data: { answer: 2 } },
      ])
    })

    it('keeps a late submission (after a disconnect) in the error log, never as the result', async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      await fixture.runner.disconnected(agent.id)
      expect((await store.agents.get(agent.id))?.status).toBe(AgentStatus.DISCONNECT)
      expect((await store.units.get(agent.unitId))?.status).toBe(UnitStatus.LAUNCHED)
      await fixture.runner.submit(agent.id, { answer: 1 })
      expect(await store.submissions.get(agent.id)).toBeNull()
      const logs = await store.logs.listErrorLogs({ kind: 'agent', id: agent.id })
      expect(logs.map((log) => log.data)).toEqual([
        { reason: 'late submission', status: AgentStatus.DISCONNECT, data: { answer: 1 } },
      ])
    })

    it('keeps a submission for an agent of no run of its own in the error log', async () => {
      const fixture = await makeRunner(store)
      await fixture.runner.submit('stranger', { answer: 1 })
      expect((await store.logs.listErrorLogs()).map((log) => log.data)).toEqual([
        { reason: 'submission for an unknown agent', agentId: 'stranger', data: { answer: 1 } },
      ])
    })

    it('lets a submission being stored win over a disconnect reported meanwhile', async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      fixture.fetcher.gate = deferred()
      const submitting = fixture.runner.submit(agent.id, { files: [upload] })
      // The copy has begun when the disconnect report arrives.
      await fixture.fetcher.begun.waitFor(() => true, 'the copy')
      const disconnecting = fixture.runner.disconnected(agent.id)
      fixture.fetcher.gate.resolve()
      await Promise.all([submitting, disconnecting])
      expect((await store.agents.get(agent.id))?.status).toBe(AgentStatus.COMPLETED)
      expect((await store.units.get(agent.unitId))?.status).toBe(UnitStatus.COMPLETED)
    })

    it('after close(), arms nothing more and treats a submission as late', async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      fixture.runner.close()
      expect(fixture.clock.pendingTimers).toBe(0)
      await fixture.runner.submit(agent.id, { answer: 1 })
      expect(await store.submissions.get(agent.id)).toBeNull()
      expect(fixture.logger.messages('warn')).toContain('late submission kept in the error log')
    })
  })

  describe('onboarding', () => {
    async function onboarding(fixture: RunnerFixture): Promise<string> {
      const worker = await store.workers.findOrCreate({ providerType: 'mock', workerName: 'o' })
      const record = await store.onboardingAgents.create({
        workerId: worker.id,
        taskRunId: fixture.ctx.taskRunId,
        registrationId: 'reg-o',
        initData: {},
      })
      await fixture.runner.startOnboarding(record.id)
      return record.id
    }

    it('starts `onboarding`, counts the worker, and disconnects it at the deadline', async () => {
      const fixture = await makeRunner(store)
      const id = await onboarding(fixture)
      expect(fixture.statuses.of(`onboarding_${id}`)).toEqual([AgentStatus.ONBOARDING])
      expect(fixture.runner.activeOnboarding).toBe(1)
      fixture.clock.advance(DURATION_S * 1000)
      await fixture.statuses.pushed(`onboarding_${id}`, AgentStatus.DISCONNECT)
      await fixture.changes.waitFor((n) => n === 2, 'the onboarding deadline')
      expect(fixture.runner.activeOnboarding).toBe(0)
    })

    it('stops the deadline once the onboarding is submitted, and reports the worker gone', async () => {
      const fixture = await makeRunner(store)
      const id = await onboarding(fixture)
      fixture.runner.stopOnboardingDeadline(id)
      expect(fixture.runner.activeOnboarding).toBe(0)
      expect(fixture.changes.entries).toHaveLength(2)
      expect(fixture.clock.pendingTimers).toBe(0)
    })

    it('expires the onboarding agents still onboarding when the run ends', async () => {
      const fixture = await makeRunner(store)
      const id = await onboarding(fixture)
      await fixture.runner.expireOnboarding()
      expect((await store.onboardingAgents.get(id))?.status).toBe(AgentStatus.EXPIRED)
      expect(fixture.runner.activeOnboarding).toBe(0)
    })
  })

  describe('metadata', () => {
    it("copies the uploads into the agent's folder and stores the metadata naming the copies", async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      await fixture.runner.storeMetadata(agent.id, { files: [upload] })
      expect(fixture.fetcher.copies).toHaveLength(1)
      const [entry] = await store.logs.listMetadata({ kind: 'agent', id: agent.id })
      expect(entry?.data).toMatchObject({ files: [upload.filename] })
    })

    it('keeps the metadata as it came when its uploads cannot be copied', async () => {
      const fixture = await makeRunner(store)
      const agent = await started(fixture)
      fixture.fetcher.failure = new Error('gone')
      await fixture.runner.storeMetadata(agent.id, { files: [upload] })
      const [entry] = await store.logs.listMetadata({ kind: 'agent', id: agent.id })
      expect(entry?.data).toEqual({ files: [upload] })
      expect(fixture.logger.messages('warn')).toContain('could not copy metadata files')
    })
  })

  describe('with screening', () => {
    const screening = {
      data: [{ test: 1 }],
      validate: ({ outputs }: { outputs: unknown }) => outputs === 'right',
      maxUnits: 5,
    }

    it('scores a screening unit before submit() resolves', async () => {
      const fixture = await makeRunner(store, { screening })
      const [assignment] = await store.assignments.create(
        fixture.ctx.taskRunId,
        [{ sharedData: { test: 1 }, units: [{ pay: 0, unitIndex: -1 }] }],
        { launch: true },
      )
      const agent = await reserveFor(store, assignment?.units[0]?.id ?? '', { workerName: 'alice' })
      await fixture.runner.startUnit(agent)
      await fixture.runner.submit(agent.id, 'right')
      expect(
        await store.qualifications.getGrant({
          name: 't-screening-passed',
          workerId: agent.workerId,
        }),
      ).not.toBeNull()
    })

    it('expires a screening unit whose worker left instead of offering it again', async () => {
      const fixture = await makeRunner(store, { screening })
      const [assignment] = await store.assignments.create(
        fixture.ctx.taskRunId,
        [{ sharedData: { test: 1 }, units: [{ pay: 0, unitIndex: -1 }] }],
        { launch: true },
      )
      const agent = await reserveFor(store, assignment?.units[0]?.id ?? '', { workerName: 'alice' })
      await fixture.runner.startUnit(agent)
      await fixture.runner.disconnected(agent.id)
      expect((await store.units.get(agent.unitId))?.status).toBe(UnitStatus.EXPIRED)
      // A real unit is offered again as usual.
      const real = await started(fixture, 'bob')
      await fixture.runner.disconnected(real.id)
      expect((await store.units.get(real.unitId))?.status).toBe(UnitStatus.LAUNCHED)
    })
  })
})
