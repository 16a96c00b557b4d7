// Reconciliation against the fake Prolific, through the built CLI: each
// drift a real study goes through is injected on the platform's side while
// `faust run` reconciles every second, or after it with `faust reconcile`,
// and the repair (or the flag) is checked in the data folder and on the fake.
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
  startPlatformRun,
  untilAgentStatus,
  withStore,
  type PlatformWorker,
} from './provider-e2e-support.js'

let fake: FakeProlific
let dir: Awaited<ReturnType<typeof tempDir>>
let cli: CliProcess | null = null

beforeEach(async () => {
  fake = await startFakeProlific()
  dir = await tempDir('faust-reconcile-drift-')
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
  }
}

interface Held {
  readonly worker: PlatformWorker
  readonly sessionId: string
}

async function take(): Promise<Held> {
  const place = fake.participants.take(fake.studies()[0]!.id)
  return { worker: await arrive(place.url), sessionId: place.sessionId }
}

async function handIn(held: Held): Promise<void> {
  const exit = await held.worker.submit('neutral')
  held.worker.stop()
  if (exit.kind !== 'redirect') throw new Error(`expected a redirect, got ${exit.kind}`)
  await fake.participants.complete(held.sessionId, new URL(exit.url).searchParams.get('cc')!)
}

/** The researcher approves on Prolific's own site (its API, as the web app does). */
async function approveOnProlific(sessionId: string): Promise<void> {
  const answer = await fetch(`${fake.url}/api/v1/submissions/${sessionId}/transition/`, {
    method: 'POST',
    headers: { authorization: `Token ${fake.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'APPROVE' }),
  })
  expect(answer.status).toBe(200)
}

async function untilKind(data: string, kind: string): Promise<void> {
  await vi.waitFor(async () => expect(await reconcileKinds(data)).toContain(kind), {
    timeout: 20_000,
    interval: 200,
  })
}

async function reconcile(data: string, flags: readonly string[] = []): Promise<ReconcileJson> {
  const pass = await runCli(['reconcile', TASK_NAME, '--json', '--data-dir', data, ...flags], env())
  expect(pass).toMatchObject({ code: 0 })
  return JSON.parse(pass.stdout) as ReconcileJson
}

interface ReconcileJson {
  readonly dryRun: boolean
  readonly events: readonly { kind: string; attemptId: string | null; applied: boolean }[]
}

async function agentOf(data: string, sessionId: string): Promise<string> {
  const row = await withStore(data, (store) =>
    store.providerRecords.findAttempt('prolific', sessionId),
  )
  return row!.agentId!
}

describe('reconciliation on the fake Prolific', () => {
  it(
    'repairs or flags each drift, live and with faust reconcile, dry runs included',
    {
      timeout: 120_000,
    },
    async () => {
      const data = join(dir.path, 'data')
      cli = startPlatformRun(data, await freePort(), ['--provider', 'prolific'], env())
      await cli.waitFor(/Published on prolific/, 'the run published')

      // Prolific times a participant out while they hold a unit: the unit is freed.
      const slow = await take()
      fake.participants.timeOut(slow.sessionId)
      await untilAgentStatus(data, slow.worker.agentId, 'timeout')
      await untilKind(data, 'attempt_timed_out')
      slow.worker.stop()

      // A handed-in submission flips back to ACTIVE and then in again: nothing breaks, nothing is freed.
      const flipping = await take()
      await handIn(flipping)
      fake.participants.flipToActive(flipping.sessionId)
      await vi.waitFor(
        async () => {
          const row = await withStore(data, (store) =>
            store.providerRecords.findAttempt('prolific', flipping.sessionId),
          )
          expect(row?.providerStatus).toBe('ACTIVE')
        },
        { timeout: 20_000, interval: 200 },
      )
      expect(
        (await withStore(data, (store) => store.agents.get(flipping.worker.agentId)))?.status,
      ).toBe('completed')

      // The researcher approves on Prolific's site: Faust's unit follows.
      const approvedThere = await take()
      await handIn(approvedThere)
      await approveOnProlific(approvedThere.sessionId)
      await untilAgentStatus(data, approvedThere.worker.agentId, 'approved')
      await untilKind(data, 'review_synced')

      // A status this version does not know is flagged and left alone.
      const odd = await take()
      await handIn(odd)
      fake.participants.setStatus(odd.sessionId, 'PROCESSING')
      await untilKind(data, 'unknown_status')
      fake.participants.setStatus(odd.sessionId, 'AWAITING REVIEW')
      await fake.participants.complete(
        flipping.sessionId,
        fake.studies()[0]!.completion_codes[0]!.code,
      )

      for (let i = 0; i < UNITS - 3; i++) await handIn(await take())
      expect((await cli.exited()).code).toBe(0)
      cli = null

      // Offline: an approval on Prolific's site after the run; a dry run reports it and changes nothing.
      const late = (await results(data)).find(
        (row) => row.unitKind === 'unit' && row.reviewStatus === null && row.agentId !== null,
      )!
      const lateSession = (await withStore(data, (store) =>
        store.providerRecords.findAttemptByAgent(late.agentId),
      ))!.attemptId
      await approveOnProlific(lateSession)
      const dry = await reconcile(data, ['--dry-run'])
      expect(dry.dryRun).toBe(true)
      expect(dry.events).toContainEqual(
        expect.objectContaining({ kind: 'review_synced', attemptId: lateSession, applied: false }),
      )
      const unchanged = (await results(data)).find((row) => row.unitId === late.unitId)
      expect(unchanged?.reviewStatus).toBeNull()
      const applied = await reconcile(data)
      expect(applied.events).toContainEqual(
        expect.objectContaining({ kind: 'review_synced', attemptId: lateSession, applied: true }),
      )
      expect((await results(data)).find((row) => row.unitId === late.unitId)).toMatchObject({
        reviewStatus: 'accepted',
      })
      // A second pass finds nothing new to repair.
      expect((await reconcile(data)).events.filter((event) => event.applied)).toEqual([])

      // A bonus whose pay call Prolific keeps refusing (429 through every retry) stays pending;
      // the next pass pays it, once.
      const paid = (await results(data)).find(
        (row) => row.unitKind === 'unit' && row.agentId === approvedThere.worker.agentId,
      )!
      fake.failNext({ path: /\/pay\/$/, status: 429, retryAfter: 0, times: 5 })
      const refused = await runCli(
        ['review', TASK_NAME, '--bonus', paid.unitId, '0.40', '--reason', 'Thanks', '--json'],
        { ...env(), FAUST_DATA_DIR: data },
      )
      expect(refused.code).toBe(1)
      expect(JSON.parse(refused.stdout)).toMatchObject([{ result: 'failed' }])
      expect(fake.bonuses().every((bonus) => bonus.paidTimes === 0)).toBe(true)
      expect((await reconcile(data)).events).toContainEqual(
        expect.objectContaining({ kind: 'action_retried', applied: true }),
      )
      expect(await reconcile(data)).toMatchObject({ events: [] })
      const bonuses = fake.bonuses().filter((bonus) => bonus.paidTimes > 0)
      expect(bonuses).toMatchObject([{ entries: [{ cents: 40 }], paidTimes: 1 }])
      expect(await agentOf(data, approvedThere.sessionId)).toBe(approvedThere.worker.agentId)
    },
  )
})
