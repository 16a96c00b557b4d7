// The chat example in Chromium against the real stack: the built page
// (examples/chat/dist, React + @faust/react's live hook) served by a real
// router, the example's concurrent task run by the real backend on a
// temporary SQLite folder. Two browser contexts are the two workers. Real
// time throughout; the router's reconnect grace and the backend's poll are
// short so a closed tab is noticed within about a second. React 19 only:
// the example's own build is tested (the live hook runs under both Reacts
// in live-task.test.ts).
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { AgentStatus, systemClock } from '@faust/protocol'
import {
  mockProvider,
  runTask,
  silentLogger,
  type TaskDefinition,
  type TaskRunHandle,
} from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import { prepareSite } from '@faust/cli'
import { startTestRouter, type TestRouter } from '@faust/testing'
import task from '../../examples/chat/task.js'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'

const EXAMPLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../examples/chat')
const PAGE_DIR = join(EXAMPLE_DIR, 'dist')
/** The router gives a closed socket this long to come back (a reload does). */
const RECONNECT_GRACE_MS = 1500
const STATUS_POLL_MS = 250

/** The reference's partner-left text (docs/protocol.md §5.5). */
const PARTNER_LEFT =
  "One of your partners has disconnected while working on this task. We won't penalize you for them leaving, so please submit this task as is."
/** The reference's expired text (docs/protocol.md §5.5, two spaces). */
const EXPIRED =
  'This task is no longer available to be completed.  Please return it and try a different task'

interface Stack extends AsyncDisposable {
  readonly t: TestRouter
  readonly store: Store
  readonly run: TaskRunHandle
  /** The page URL for worker `name` (a mock link, as `faust run` prints). */
  url(name: string): string
}

async function openStack(override: Partial<TaskDefinition> = {}): Promise<Stack> {
  if (!existsSync(join(PAGE_DIR, 'index.html'))) {
    throw new Error(`${PAGE_DIR} is not built: run \`npm run build\` first`)
  }
  const root = await mkdtemp(join(tmpdir(), 'faust-chat-'))
  const siteDir = join(root, 'site')
  await prepareSite({ pageDir: PAGE_DIR, siteDir, task, provider: mockProvider })
  const t = await startTestRouter({
    clock: systemClock,
    staticDir: siteDir,
    reconnectGraceMs: RECONNECT_GRACE_MS,
  })
  const store = await openDatabase({ dataDir: join(root, 'data'), clock: systemClock })
  const run = await runTask({
    task: { ...task, ...override },
    baseDir: EXAMPLE_DIR,
    store,
    clock: systemClock,
    logger: silentLogger,
    statusPollMs: STATUS_POLL_MS,
    router: {
      socketUrl: t.router.socketUrl,
      httpUrl: t.router.url,
      token: t.token,
      uploadDir: t.uploadDir,
    },
  })
  return {
    t,
    store,
    run,
    url: (name) =>
      `${t.router.url}/?${new URLSearchParams({ worker_id: name, assignment_id: `asg-${name}` }).toString()}`,
    async [Symbol.asyncDispose]() {
      await run.stop()
      await store.close()
      await t[Symbol.asyncDispose]()
      await rm(root, { recursive: true, force: true })
    },
  }
}

async function stateIs(page: Page, state: string): Promise<void> {
  await page.waitForSelector(`main#app[data-state="${state}"]`, { timeout: PAGE_WAIT_MS })
}

let chrome: TestBrowser
let pages: Page[] = []

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

afterEach(async () => {
  for (const page of pages) await page.context().close()
  pages = []
})

/** A worker's tab in its own context: opens the link and passes the quiz; waits for `state`. */
async function worker(stack: Stack, name: string, state: string): Promise<Page> {
  const context = await chrome.newContext()
  const page = await context.newPage()
  pages.push(page)
  await page.goto(stack.url(name))
  await page.waitForSelector('#onboarding-form')
  await page.check('#q0-person')
  await page.check('#q1-done')
  await page.click('#onboarding-submit')
  await stateIs(page, state)
  return page
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#message-input', text)
  await page.click('#send')
  await page.waitForSelector(`#messages li[data-sender="me"]:has-text("${text}")`)
}

async function heard(page: Page, text: string): Promise<void> {
  await page.waitForSelector(`#messages li[data-sender="partner"]:has-text("${text}")`, {
    timeout: PAGE_WAIT_MS,
  })
}

async function rateAndSubmit(page: Page, rating: number): Promise<void> {
  await page.check(`#rating-${String(rating)}`)
  await page.click('#submit')
  await stateIs(page, 'thanks')
}

/** The agent a worker (by provider name) holds in the run. */
async function agentOf(stack: Stack, name: string) {
  const agents = await stack.store.agents.listForRun(stack.run.runId)
  const workers = await stack.store.workers.list()
  const workerId = workers.find((record) => record.workerName === `${name}_sandbox`)?.id
  return agents.filter((agent) => agent.workerId === workerId)
}

describe('chat example in Chromium (real router and backend)', { timeout: 40_000 }, () => {
  it('pairs two workers who chat both ways, click Done, rate and submit', async () => {
    await using stack = await openStack()
    const first = await worker(stack, 'w1', 'waiting')
    const second = await worker(stack, 'w2', 'chat')
    await stateIs(first, 'chat')
    expect(await first.textContent('#topic')).toContain('Plan a weekend trip')

    await say(first, 'hello from one')
    await heard(second, 'hello from one')
    await say(second, 'hi from two')
    await heard(first, 'hi from two')

    await first.click('#done')
    await second.waitForSelector('#messages li[data-sender="system"]')
    await second.click('#done')
    await stateIs(first, 'submit')
    await stateIs(second, 'submit')
    await rateAndSubmit(first, 5)
    await rateAndSubmit(second, 3)

    const [a] = await agentOf(stack, 'w1')
    const [b] = await agentOf(stack, 'w2')
    expect((await stack.store.submissions.get(a!.id))?.data).toMatchObject({ rating: 5 })
    expect((await stack.store.submissions.get(b!.id))?.data).toMatchObject({ rating: 3 })
    const texts = (await stack.store.liveUpdates.list(b!.id)).map((update) => update.data['text'])
    expect(texts).toEqual(expect.arrayContaining(['hello from one', 'hi from two']))
  })

  it('tells the remaining worker when the partner closes the tab, and stores their submission', async () => {
    await using stack = await openStack()
    const first = await worker(stack, 'w1', 'waiting')
    const second = await worker(stack, 'w2', 'chat')
    await stateIs(first, 'chat')
    await say(first, 'are you there?')
    await heard(second, 'are you there?')

    await second.context().close()
    await stateIs(first, 'submit')
    expect(await first.textContent('#notice')).toBe(PARTNER_LEFT)
    expect(await first.getAttribute('main#app', 'data-agent-status')).toBe(
      AgentStatus.PARTNER_DISCONNECT,
    )
    // The conversation so far stays visible.
    expect(await first.textContent('#messages')).toContain('are you there?')
    await rateAndSubmit(first, 2)

    const [a] = await agentOf(stack, 'w1')
    const [b] = await agentOf(stack, 'w2')
    expect((await stack.store.submissions.get(a!.id))?.data).toMatchObject({
      rating: 2,
      partnerLeft: true,
    })
    expect((await stack.store.agents.get(b!.id))?.status).toBe(AgentStatus.DISCONNECT)
  })

  it('releases a worker nobody joined with the reference text once the waiting room times out', async () => {
    await using stack = await openStack({
      live: { ...task.live!, waitingRoomSeconds: 1 },
    })
    const lonely = await worker(stack, 'w1', 'waiting')
    await stateIs(lonely, 'ended')
    expect(await lonely.textContent('#status-text')).toBe(EXPIRED)
    const [agent] = await agentOf(stack, 'w1')
    expect(agent?.status).toBe(AgentStatus.EXPIRED)
    expect((await stack.run.progress()).launched).toBe(6)
  })

  it('resumes the same chat after a reload mid-conversation', async () => {
    await using stack = await openStack()
    const first = await worker(stack, 'w1', 'waiting')
    const second = await worker(stack, 'w2', 'chat')
    await stateIs(first, 'chat')
    await say(first, 'before the reload')
    await heard(second, 'before the reload')
    await say(second, 'reply before the reload')
    await heard(first, 'reply before the reload')
    const [before] = await agentOf(stack, 'w1')

    await first.reload()
    await stateIs(first, 'chat')
    // The history is back: own and partner messages, in order.
    await heard(first, 'reply before the reload')
    const items = first.locator('#messages li')
    const lines: string[] = []
    for (let index = 0; index < (await items.count()); index += 1) {
      const item = items.nth(index)
      lines.push(
        `${(await item.getAttribute('data-sender')) ?? ''}: ${(await item.locator('.text').textContent()) ?? ''}`,
      )
    }
    expect(lines).toEqual(['me: before the reload', 'partner: reply before the reload'])
    const after = await agentOf(stack, 'w1')
    expect(after.map((agent) => agent.id)).toEqual([before!.id])
    expect(after[0]?.status).toBe(AgentStatus.IN_TASK)

    // And the chat goes on both ways.
    await say(first, 'after the reload')
    await heard(second, 'after the reload')
    await say(second, 'still here')
    await heard(first, 'still here')
  })
})
