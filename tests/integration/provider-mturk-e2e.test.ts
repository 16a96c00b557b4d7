// `faust run examples/static-form --provider mturk --sandbox` end to end
// against the local fake MTurk, through AWS's own SDK client: the built CLI
// publishes a HIT type and one HIT per open place, workers accept HITs and
// open the ExternalQuestion URL MTurk would (assignmentId, hitId, workerId,
// turkSubmitTo) with the router's own wrap script, hand in, and are
// submitted back with the externalSubmit form; the run is killed and resumed
// midway, drift is injected and reconciled, and the work is approved,
// rejected and bonused with `faust review`, each money call reaching MTurk once.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startFakeMturk, type FakeMturk } from '@faust/testing/fakes'
import { runCli, tempDir, type CliProcess } from '../support/cli-process.js'
import {
  TASK_NAME,
  UNITS,
  arrive,
  freePort,
  reconcileKinds,
  results,
  review,
  startPlatformRun,
  untilAgentStatus,
  type PlatformWorker,
} from './provider-e2e-support.js'

let fake: FakeMturk
let dir: Awaited<ReturnType<typeof tempDir>>
let cli: CliProcess | null = null
let workers = 0

beforeEach(async () => {
  fake = await startFakeMturk()
  dir = await tempDir('faust-mturk-e2e-')
})

afterEach(async () => {
  cli?.child.kill('SIGKILL')
  await cli?.exited()
  cli = null
  await fake.close()
  await dir[Symbol.asyncDispose]()
})

function env(): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIDFAUSTE2E',
    AWS_SECRET_ACCESS_KEY: 'faust-e2e-secret',
    AWS_ENDPOINT_URL_MTURK: fake.endpoint,
  }
}

/** A worker accepts a HIT and holds a unit. */
async function accept(): Promise<{ worker: PlatformWorker; assignmentId: string }> {
  workers += 1
  const workerId = `A${String(workers).padStart(12, '0')}`
  // A place freed a moment ago (a returned HIT) is posted by the run's next
  // places call, which is asynchronous: like a worker on MTurk, accept the HIT
  // once it is there rather than racing the call.
  const taken = await vi.waitFor(() => fake.workers.accept(undefined, workerId), {
    timeout: 20_000,
    interval: 100,
  })
  return { worker: await arrive(taken.url), assignmentId: taken.assignmentId }
}

/** Hands in, then posts the externalSubmit form to MTurk as the worker's browser does. */
async function handIn(held: { worker: PlatformWorker }): Promise<void> {
  const exit = await held.worker.submit('negative')
  held.worker.stop()
  if (exit.kind !== 'form') throw new Error(`expected a form, got ${exit.kind}`)
  expect(exit.action).toBe(`${fake.externalSubmitUrl.replace(/\/+$/, '')}/mturk/externalSubmit`)
  const answer = await fetch(exit.action, {
    method: exit.method,
    body: new URLSearchParams(exit.fields),
  })
  expect(answer.ok).toBe(true)
}

const openHits = (): number => fake.hits().filter((hit) => hit['HITStatus'] === 'Assignable').length

describe('faust run --provider mturk --sandbox, against the fake', () => {
  it(
    'publishes once, survives a kill, reconciles drift, and reviews and pays each action once',
    {
      timeout: 120_000,
    },
    async () => {
      const data = join(dir.path, 'data')
      const port = await freePort()
      const flags = ['--provider', 'mturk', '--sandbox']
      cli = startPlatformRun(data, port, flags, env())
      await cli.waitFor(/Published on mturk \(sandbox\)/, 'the run published')
      await vi.waitFor(() => expect(openHits()).toBe(UNITS), { timeout: 20_000, interval: 100 })
      const created = (): number =>
        fake.requests().filter((r) => r.operation === 'CreateHITType').length

      // Three workers hand in; a fourth holds a unit when the run is killed.
      for (let i = 0; i < 3; i++) await handIn(await accept())
      const holding = await accept()
      cli.child.kill('SIGKILL')
      await cli.exited()

      // The same command resumes the run: the same HIT type, no HIT made twice.
      cli = startPlatformRun(data, port, flags, env())
      await cli.waitFor(/resuming run \w+: 3 of 8 units done/, 'the run resumed')
      expect(cli.stdout()).not.toMatch(/Cost of publishing/)
      await handIn(holding)
      expect(created()).toBe(1)

      // Drift: a worker returns the HIT on MTurk while holding a unit.
      const returning = await accept()
      fake.workers.returnAssignment(returning.assignmentId)
      await untilAgentStatus(data, returning.worker.agentId, 'returned')
      returning.worker.stop()
      // Drift: a worker hands the HIT in on MTurk without doing the task here.
      const sneaky = fake.workers.accept(undefined, 'ANODATA000000')
      fake.workers.submit(sneaky.assignmentId, { faust: 'submitted' })
      await vi.waitFor(
        async () => expect(await reconcileKinds(data)).toContain('submission_without_data'),
        { timeout: 20_000, interval: 200 },
      )

      // The rest of the units, the returned one offered again among them.
      for (let i = 0; i < UNITS - 4; i++) await handIn(await accept())
      const finished = await cli.exited()
      expect(finished.code).toBe(0)
      cli = null
      expect(openHits()).toBe(0)
      expect(await reconcileKinds(data)).toContain('attempt_returned')

      const pass = await runCli(['reconcile', TASK_NAME, '--json', '--data-dir', data], env())
      expect(pass).toMatchObject({ code: 0 })
      expect(JSON.parse(pass.stdout)).toMatchObject({ dryRun: false })

      // Review: approve one, reject one, bonus one (twice), then approve the rest.
      const units = (await results(data)).filter((row) => row.unitKind === 'unit')
      expect(units).toHaveLength(UNITS)
      expect(units.map((row) => row.providerStatus)).toEqual(Array(UNITS).fill('Submitted'))
      expect(units.every((row) => row.workerName.endsWith('_sandbox'))).toBe(true)
      const [first, second, third] = units.map((row) => row.unitId)
      expect(await review(data, ['--approve', first!], env())).toMatchObject([{ result: 'done' }])
      const reject = ['--reject', second!, '--reason', 'The label ignores the text.']
      expect(await review(data, reject, env())).toMatchObject([{ result: 'done' }])
      const bonus = ['--bonus', third!, '0.50', '--reason', 'Careful work']
      expect(await review(data, bonus, env())).toMatchObject([{ result: 'done' }])
      expect(await review(data, bonus, env())).toMatchObject([{ result: 'already_done' }])
      expect(await review(data, ['--approve', 'all-pending'], env())).toHaveLength(UNITS - 2)

      // Each money call went to MTurk once.
      const calls = fake
        .requests()
        .filter((r) => /^(Approve|Reject)Assignment$|^SendBonus$/.test(r.operation))
        .map((r) => `${r.operation} ${String(r.params['AssignmentId'])}`)
      expect(new Set(calls).size).toBe(calls.length)
      expect(calls).toHaveLength(UNITS + 1)
      expect(fake.bonuses()).toMatchObject([{ BonusAmount: '0.50', Reason: 'Careful work' }])
      const after = new Map(
        (await results(data)).filter((r) => r.unitKind === 'unit').map((r) => [r.unitId, r]),
      )
      expect(after.get(first!)).toMatchObject({
        providerStatus: 'Approved',
        reviewStatus: 'accepted',
      })
      expect(after.get(second!)).toMatchObject({
        providerStatus: 'Rejected',
        reviewStatus: 'rejected',
      })
      expect(after.get(third!)).toMatchObject({ providerStatus: 'Approved', bonusCents: 50 })

      // A block granted here is an MTurk worker block too (the raw id, without `_sandbox`).
      const stored = after.get(second!)!.workerName
      const blocked = await runCli(['block', stored], { ...env(), FAUST_DATA_DIR: data })
      expect(blocked.code).toBe(0)
      expect(blocked.stdout).toContain('also blocked on mturk (sandbox)')
      expect(fake.blocks().map((block) => block.WorkerId)).toEqual([
        stored.replace(/_sandbox$/, ''),
      ])
    },
  )
})
