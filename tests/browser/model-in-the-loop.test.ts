// The model-in-the-loop example in Chromium against the real stack: the built
// page (examples/model-in-the-loop/dist, React + useMephistoRemoteProcedureTask)
// served by a real router, the example's task (its `predict` procedure
// included) run by the real backend on a temporary SQLite folder.
// Real time throughout; every wait is bounded and waits on an event.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { systemClock } from '@faust/protocol'
import { mockProvider, runTask, silentLogger, type TaskRunHandle } from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import { prepareSite } from '@faust/cli'
import { startTestRouter, type TestRouter } from '@faust/testing'
import task, { MAX_TEXT_LENGTH, predictSentiment } from '../../examples/model-in-the-loop/task.js'
import { launchBrowser, type TestBrowser } from './browser.js'
import { progressWhere } from './run-progress.js'

const EXAMPLE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../examples/model-in-the-loop',
)
const PAGE_DIR = join(EXAMPLE_DIR, 'dist')

interface Review {
  readonly id: string
  readonly text: string
}

/** The first batch of data.jsonl (what the first worker gets). */
async function firstBatch(): Promise<Review[]> {
  const [line] = (await readFile(join(EXAMPLE_DIR, 'data.jsonl'), 'utf8')).split('\n')
  return (JSON.parse(line!) as { items: Review[] }).items
}

/** A router serving the example's site, a store, and the example's run. */
interface Stack extends AsyncDisposable {
  readonly store: Store
  readonly run: TaskRunHandle
  url(worker: string): string
}

async function openStack(): Promise<Stack> {
  if (!existsSync(join(PAGE_DIR, 'index.html'))) {
    throw new Error(`${PAGE_DIR} is not built: run \`npm run build\` first`)
  }
  const root = await mkdtemp(join(tmpdir(), 'faust-browser-'))
  const siteDir = join(root, 'site')
  await prepareSite({ pageDir: PAGE_DIR, siteDir, task, provider: mockProvider })
  const t: TestRouter = await startTestRouter({ clock: systemClock, staticDir: siteDir })
  const store = await openDatabase({ dataDir: join(root, 'data'), clock: systemClock })
  const run = await runTask({
    task: { ...task, hooks: {} },
    baseDir: EXAMPLE_DIR,
    store,
    clock: systemClock,
    logger: silentLogger,
    router: {
      socketUrl: t.router.socketUrl,
      httpUrl: t.router.url,
      token: t.token,
      uploadDir: t.uploadDir,
    },
  })
  return {
    store,
    run,
    url: (worker) =>
      `${t.router.url}/?${new URLSearchParams({
        worker_id: worker,
        assignment_id: run.units[0]!.assignmentId,
      }).toString()}`,
    async [Symbol.asyncDispose]() {
      await run.stop()
      await store.close()
      await t[Symbol.asyncDispose]()
      await rm(root, { recursive: true, force: true })
    },
  }
}

/** Waits until the model has answered (or failed) for every review on the page. */
async function modelDone(page: Page, reviews: readonly Review[]): Promise<void> {
  await page.waitForSelector('main#app[data-state="task"]')
  for (const review of reviews) {
    await page.waitForSelector(`#prediction-${review.id}, #model-error-${review.id}`)
  }
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

async function newPage(): Promise<Page> {
  const page = await (await chrome.newContext()).newPage()
  pages.push(page)
  return page
}

describe(
  'model-in-the-loop example in Chromium (real router and backend)',
  { timeout: 40_000 },
  () => {
    it("shows the model's answers and its error, keeps them over a reload, and stores the corrected labels", async () => {
      await using stack = await openStack()
      const reviews = await firstBatch()
      const long = reviews.find((review) => review.text.length > MAX_TEXT_LENGTH)
      const scored = reviews.filter((review) => review !== long)
      expect(long).toBeDefined()
      expect(scored.length).toBeGreaterThan(1)

      const page = await newPage()
      await page.goto(stack.url('w1'))
      await modelDone(page, reviews)
      for (const review of scored) {
        const expected = predictSentiment(review.text)
        const line = page.locator(`#prediction-${review.id}`)
        expect(await line.getAttribute('data-label')).toBe(expected.label)
        expect(await line.textContent()).toContain(
          `The model says ${expected.label} (confidence ${String(Math.round(expected.confidence * 100))}%)`,
        )
      }
      expect(await page.textContent(`#model-error-${long!.id}`)).toBe(
        `The model could not answer: the remote procedure 'predict' failed: the text is longer ` +
          `than the model accepts (${String(MAX_TEXT_LENGTH)} characters). Please label this one yourself.`,
      )

      // A reload shows the same answers from `previous_requests`: no new calls.
      const agent = (await stack.store.agents.listForRun(stack.run.runId))[0]!
      const callsBefore = await stack.store.remoteCalls.listForAgent({
        kind: 'agent',
        id: agent.id,
      })
      expect(callsBefore).toHaveLength(reviews.length)
      await page.reload()
      await modelDone(page, scored)
      // The failed call is asked again (its previous request has no answer); the others are not.
      await page.waitForSelector(`#model-error-${long!.id}`)
      const callsAfter = await stack.store.remoteCalls.listForAgent({ kind: 'agent', id: agent.id })
      expect(callsAfter.map((call) => JSON.parse(call.argsJson) as Review)).toEqual([
        ...reviews,
        long,
      ])

      // The worker agrees with the first, corrects the second, labels the long one.
      expect(await page.isDisabled('#submit')).toBe(true)
      const [first, second] = scored as [Review, Review]
      const firstLabel = predictSentiment(first.text).label
      const secondModel = predictSentiment(second.text).label
      const corrected = secondModel === 'neutral' ? 'positive' : 'neutral'
      await page.check(`input[name="label-${first.id}"][value="${firstLabel}"]`)
      await page.check(`input[name="label-${second.id}"][value="${corrected}"]`)
      for (const review of scored.slice(2)) {
        await page.check(
          `input[name="label-${review.id}"][value="${predictSentiment(review.text).label}"]`,
        )
      }
      await page.check(`input[name="label-${long!.id}"][value="neutral"]`)
      const completed = progressWhere(stack.run, (progress) => progress.completed === 1)
      await page.click('#submit')
      await page.waitForSelector('main#app[data-state="thanks"]')
      await completed

      const submission = await stack.store.submissions.get(agent.id)
      const stored = (submission?.data as { reviews: Record<string, unknown>[] }).reviews
      expect(stored.find((review) => review['id'] === first.id)).toEqual({
        id: first.id,
        model: { label: firstLabel, confidence: predictSentiment(first.text).confidence },
        modelError: null,
        label: firstLabel,
        agreed: true,
      })
      expect(stored.find((review) => review['id'] === second.id)).toMatchObject({
        model: { label: secondModel },
        label: corrected,
        agreed: false,
      })
      expect(stored.find((review) => review['id'] === long!.id)).toMatchObject({
        model: null,
        modelError: expect.stringContaining('longer than the model accepts') as string,
        label: 'neutral',
        agreed: false,
      })
      const [exported] = await stack.store.results.exportSubmissions({ taskName: task.name })
      expect(exported?.remoteCalls).toHaveLength(reviews.length + 1)
    })
  },
)
