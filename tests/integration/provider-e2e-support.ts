// What the end-to-end runs on the crowd platforms' fakes share: a worker
// whose page is opened at the platform's URL (the router's own wrap script,
// run in node:vm), `faust run` of the static-form example with a platform,
// and reading the data folder while the run goes on.
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { expect, vi } from 'vitest'
import { WebSocket } from 'ws'
import { createTaskClient } from '@faust/client'
import { openDatabase, type Store, type SubmissionExport } from '@faust/backend/store'
import { openProviderPage, type ProviderExit } from '@faust/testing/fakes'
import { runCli, startCli, type CliProcess } from '../support/cli-process.js'

export const STATIC_FORM = fileURLToPath(new URL('../../examples/static-form', import.meta.url))
export const TASK_NAME = 'label-sentiment'
export const UNITS = 8
/** The static form's onboarding quiz, answered right. */
const QUIZ = { q0: 'positive', q1: 'negative', q2: 'neutral' }

/** A worker at the platform's URL, as far as the test takes them. */
export interface PlatformWorker {
  readonly agentId: string
  /** Submits the unit; resolves with how the page sent the worker back to the platform. */
  submit(label: string): Promise<ProviderExit>
  stop(): void
}

/** Opens `pageUrl`, registers, passes the onboarding quiz when asked, and holds a unit. */
export async function arrive(pageUrl: string): Promise<PlatformWorker> {
  const page = await openProviderPage(pageUrl)
  const client = createTaskClient({
    baseUrl: page.baseUrl,
    fetch,
    WebSocket,
    provider: page.provider,
    live: false,
    userAgent: 'faust-e2e-worker',
    warn: () => undefined,
  })
  let state = await client.start()
  if (state.status === 'ready' && state.isOnboarding === true)
    state = await client.submitOnboarding(QUIZ)
  if (state.status !== 'ready' || state.agentId === null)
    throw new Error(`registration ended '${state.status}': ${String(state.error)}`)
  return {
    agentId: state.agentId,
    async submit(label) {
      await client.submitTask({ label, comment: '' })
      const exit = page.exits.at(-1)
      if (exit === undefined) throw new Error('the page did not send the worker back')
      return exit
    },
    stop: () => {
      client.stop()
    },
  }
}

/**
 * A free loopback port. A platform's listing carries the page's address, so
 * a run resumed after a kill must serve it where it was (as a deployment's
 * fixed port or public URL does), not on a new port 0.
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** `faust run examples/static-form` on a platform on `port`, with reconciliation every second. */
export function startPlatformRun(
  dataDir: string,
  port: number,
  flags: readonly string[],
  env: Record<string, string>,
): CliProcess {
  return startCli(
    [
      'run',
      STATIC_FORM,
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--yes',
      '--reconcile-every',
      '1',
      ...flags,
    ],
    env,
  )
}

/** Opens the data folder to read while a run writes it (WAL: readers do not block it). */
export async function withStore<T>(
  dataDir: string,
  read: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openDatabase({ dataDir })
  try {
    return await read(store)
  } finally {
    await store.close()
  }
}

/** Waits (bounded) until the agent has `status` in the data folder. */
export async function untilAgentStatus(
  dataDir: string,
  agentId: string,
  status: string,
): Promise<void> {
  await vi.waitFor(
    async () => {
      const agent = await withStore(dataDir, (store) => store.agents.get(agentId))
      expect(agent?.status).toBe(status)
    },
    { timeout: 20_000, interval: 200 },
  )
}

/** The task's reconciliation events (kind, agent) so far. */
export async function reconcileKinds(dataDir: string): Promise<string[]> {
  return withStore(dataDir, async (store) => {
    const runs = await store.taskRuns.list()
    const kinds: string[] = []
    for (const run of runs)
      for (const event of await store.providerRecords.listEvents(run.id))
        if (!event.dryRun) kinds.push(event.kind)
    return kinds
  })
}

/** `faust results --format jsonl`, parsed. */
export async function results(dataDir: string): Promise<SubmissionExport[]> {
  const result = await runCli(['results', TASK_NAME, '--data-dir', dataDir])
  expect(result).toMatchObject({ code: 0 })
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SubmissionExport)
}

/** `faust review <task> …args --json`, which must exit 0; returns its outcomes. */
export async function review(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ unitId: string; result: string }[]> {
  const result = await runCli(['review', TASK_NAME, ...args, '--json', '--data-dir', dataDir], env)
  expect(result).toMatchObject({ code: 0 })
  return JSON.parse(result.stdout) as { unitId: string; result: string }[]
}
