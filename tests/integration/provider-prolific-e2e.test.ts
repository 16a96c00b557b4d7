// `faust run examples/static-form --provider prolific` end to end against the
// local fake Prolific: the built CLI publishes a study, workers arrive at the
// study URL Prolific would open (PROLIFIC_PID, STUDY_ID, SESSION_ID) and run
// the router's own wrap script, hand in and are redirected with the
// completion code; the run is killed and resumed midway, drift is injected
// and reconciled, and the work is approved, rejected and bonused with
// `faust review`, each money call reaching Prolific once.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startFakeProlific, type FakeProlific } from '@faust/testing/fakes'
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

let fake: FakeProlific
let dir: Awaited<ReturnType<typeof tempDir>>
let cli: CliProcess | null = null

beforeEach(async () => {
  fake = await startFakeProlific()
  dir = await tempDir('faust-prolific-e2e-')
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
    PROLIFIC_API_TOKEN: fake.token,
    PROLIFIC_API_URL: fake.url,
    PROLIFIC_COMPLETION_URL: fake.completionUrl,
    PROLIFIC_WORKSPACE_ID: 'workspace-1',
  }
}

/** The one study, once published and active. */
async function activeStudy(): Promise<string> {
  let id = ''
  await vi.waitFor(
    () => {
      const studies = fake.studies()
      expect(studies).toHaveLength(1)
      expect(studies[0]!.status).toBe('ACTIVE')
      id = studies[0]!.id
    },
    { timeout: 20_000, interval: 100 },
  )
  return id
}

/** A participant takes a place and holds a unit. */
async function take(studyId: string): Promise<{ worker: PlatformWorker; sessionId: string }> {
  const place = fake.participants.take(studyId)
  return { worker: await arrive(place.url), sessionId: place.sessionId }
}

/** Hands in and follows the completion redirect as the participant's browser does. */
async function handIn(held: { worker: PlatformWorker; sessionId: string }): Promise<void> {
  const exit = await held.worker.submit('positive')
  held.worker.stop()
  if (exit.kind !== 'redirect') throw new Error(`expected a redirect, got ${exit.kind}`)
  const url = new URL(exit.url)
  expect(`${url.origin}${url.pathname}`).toBe(fake.completionUrl)
  await fake.participants.complete(held.sessionId, url.searchParams.get('cc')!)
}

const moneyCalls = (): string[] =>
  fake
    .requests()
    .filter((r) => r.method === 'POST' && /transition|bonus|pay/.test(r.path))
    .map((r) => `${r.path} ${JSON.stringify(r.body)}`)

describe('faust run --provider prolific, against the fake', () => {
  it(
    'publishes once, survives a kill, reconciles drift, and reviews and pays each action once',
    {
      timeout: 120_000,
    },
    async () => {
      const data = join(dir.path, 'data')
      const port = await freePort()
      cli = startPlatformRun(data, port, ['--provider', 'prolific'], env())
      await cli.waitFor(/Published on prolific/, 'the run published')
      const studyId = await activeStudy()
      expect(fake.studies()[0]!.total_available_places).toBe(UNITS)
      expect(fake.studies()[0]!.external_study_url).toMatch(
        /PROLIFIC_PID=\{\{%PROLIFIC_PID%\}\}.*STUDY_ID=\{\{%STUDY_ID%\}\}.*SESSION_ID=\{\{%SESSION_ID%\}\}/,
      )

      // Three participants hand in; a fourth holds a unit when the run is killed.
      for (let i = 0; i < 3; i++) await handIn(await take(studyId))
      const holding = await take(studyId)
      cli.child.kill('SIGKILL')
      await cli.exited()

      // The same command resumes the run: the same study, nothing published again.
      cli = startPlatformRun(data, port, ['--provider', 'prolific'], env())
      await cli.waitFor(/resuming run \w+: 3 of 8 units done/, 'the run resumed')
      expect(cli.stdout()).not.toMatch(/Cost of publishing/)
      await handIn(holding)
      expect(fake.studies()).toHaveLength(1)
      expect(
        fake.requests().filter((r) => r.method === 'POST' && r.path === '/api/v1/studies/'),
      ).toHaveLength(1)

      // Drift: a participant returns their place on Prolific while holding a unit.
      const returning = await take(studyId)
      fake.participants.returnPlace(returning.sessionId)
      await untilAgentStatus(data, returning.worker.agentId, 'returned')
      returning.worker.stop()
      // Drift: a participant enters the completion code without doing the task.
      const noData = fake.participants.take(studyId)
      await fake.participants.complete(
        noData.sessionId,
        fake.studies()[0]!.completion_codes[0]!.code,
      )
      await vi.waitFor(
        async () => expect(await reconcileKinds(data)).toContain('submission_without_data'),
        { timeout: 20_000, interval: 200 },
      )

      // The rest of the units, the returned one offered again among them.
      for (let i = 0; i < UNITS - 4; i++) await handIn(await take(studyId))
      const finished = await cli.exited()
      expect(finished.code).toBe(0)
      cli = null
      expect(fake.studies()[0]!.status).not.toBe('ACTIVE')
      expect(await reconcileKinds(data)).toContain('attempt_returned')

      // A pass after the run brings the platform's statuses of the last hand-ins in.
      const pass = await runCli(['reconcile', TASK_NAME, '--json', '--data-dir', data], env())
      expect(pass).toMatchObject({ code: 0 })
      expect(JSON.parse(pass.stdout)).toMatchObject({ dryRun: false, attempts: UNITS + 2 })

      // Review: approve one, reject one, bonus one (twice), then approve the rest.
      const units = (await results(data)).filter((row) => row.unitKind === 'unit')
      expect(units).toHaveLength(UNITS)
      expect(units.map((row) => row.providerStatus)).toEqual(Array(UNITS).fill('AWAITING REVIEW'))
      const [first, second, third] = units.map((row) => row.unitId)
      expect(await review(data, ['--approve', first!], env())).toMatchObject([{ result: 'done' }])
      expect(
        await review(
          data,
          [
            '--reject',
            second!,
            '--reason',
            'The label ignores the text.',
            '--category',
            'LOW_EFFORT',
          ],
          env(),
        ),
      ).toMatchObject([{ result: 'done' }])
      const bonus = ['--bonus', third!, '0.50', '--reason', 'Careful work']
      expect(await review(data, bonus, env())).toMatchObject([{ result: 'done' }])
      expect(await review(data, bonus, env())).toMatchObject([{ result: 'already_done' }])
      expect(await review(data, ['--approve', first!], env())).toMatchObject([
        { result: 'already_done' },
      ])
      const rest = await review(data, ['--approve', 'all-pending'], env())
      expect(rest).toHaveLength(UNITS - 2)

      // Each money call went to Prolific once.
      const calls = moneyCalls()
      expect(new Set(calls).size).toBe(calls.length)
      expect(fake.bonuses()).toMatchObject([{ entries: [{ cents: 50 }], paidTimes: 1 }])
      const after = (await results(data)).filter((row) => row.unitKind === 'unit')
      const byUnit = new Map(after.map((row) => [row.unitId, row]))
      expect(byUnit.get(first!)).toMatchObject({
        providerStatus: 'APPROVED',
        reviewStatus: 'accepted',
      })
      expect(byUnit.get(second!)).toMatchObject({
        providerStatus: 'REJECTED',
        reviewStatus: 'rejected',
        reviewReason: 'The label ignores the text.',
      })
      expect(byUnit.get(third!)).toMatchObject({ providerStatus: 'APPROVED', bonusCents: 50 })
      expect(after.filter((row) => row.providerStatus === 'APPROVED')).toHaveLength(UNITS - 1)

      // A block and a qualification granted here are mirrored on Prolific's participant groups.
      const pid = byUnit.get(second!)!.workerName
      const members = (name: string): string[] => [
        ...(fake.groups().find((group) => group.name === name)?.participants ?? []),
      ]
      const cliEnv = { ...env(), FAUST_DATA_DIR: data }
      const blocked = await runCli(['block', pid], cliEnv)
      expect(blocked.code).toBe(0)
      expect(blocked.stdout).toContain('also blocked on prolific')
      expect(members('faust-blocked')).toEqual([pid])
      expect(await runCli(['block', pid, '--revoke'], cliEnv)).toMatchObject({ code: 0 })
      expect(members('faust-blocked')).toEqual([])
      const qualified = await runCli(['qualify', 'grant', pid, 'expert', '2'], cliEnv)
      expect(qualified.code).toBe(0)
      expect(qualified.stdout).toContain('also granted on prolific')
      expect(members('faust-qualification-expert')).toEqual([pid])
    },
  )
})
