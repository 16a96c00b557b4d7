// The static-form example in Chromium against the real stack: the built page
// (React + @faust/react; examples/static-form/dist for React 19, built again
// for React 18) served by a real router, the example's task run by the real
// backend on a temporary SQLite folder. Real time throughout; every wait is
// bounded and waits on an event.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { FailureReason, systemClock } from '@faust/protocol'
import { mockProvider, runTask, silentLogger, type TaskRunHandle } from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import { prepareSite } from '@faust/cli'
import { startTestRouter, type TestRouter } from '@faust/testing'
import task from '../../examples/static-form/task.js'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'
import { assertReact, REACT_MAJORS, recordReactRenderers } from './react-version.js'
import { EXAMPLE_DIR, staticFormPage, type StaticFormPage } from './static-form-page.js'
import { progressWhere } from './run-progress.js'

/** The example's texts, in data.jsonl order. */
async function exampleTexts(): Promise<string[]> {
  const lines = (await readFile(join(EXAMPLE_DIR, 'data.jsonl'), 'utf8')).split('\n')
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text)
}

/** A router serving the example's site, a store, and (once started) the example's run. */
interface Stack extends AsyncDisposable {
  readonly t: TestRouter
  readonly store: Store
  readonly dataDir: string
  /** Starts the backend: `runTask` with the example's task. */
  startBackend(): Promise<TaskRunHandle>
  /** The page URL for a worker and assignment (no ids: a preview). */
  url(worker?: { name: string; assignment: string }): string
}

/** The stack serving the example's page built in `pageDir`. */
async function openStackIn(pageDir: string): Promise<Stack> {
  const root = await mkdtemp(join(tmpdir(), 'faust-browser-'))
  const siteDir = join(root, 'site')
  const dataDir = join(root, 'data')
  await prepareSite({ pageDir, siteDir, task, provider: mockProvider })
  const t = await startTestRouter({ clock: systemClock, staticDir: siteDir })
  const store = await openDatabase({ dataDir, clock: systemClock })
  const runs: TaskRunHandle[] = []
  return {
    t,
    store,
    dataDir,
    async startBackend() {
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
      runs.push(run)
      return run
    },
    url(worker) {
      if (worker === undefined) return `${t.router.url}/`
      const query = new URLSearchParams({
        worker_id: worker.name,
        assignment_id: worker.assignment,
      })
      return `${t.router.url}/?${query.toString()}`
    },
    async [Symbol.asyncDispose]() {
      for (const run of runs) await run.stop()
      await store.close()
      await t[Symbol.asyncDispose]()
      await rm(root, { recursive: true, force: true })
    },
  }
}

/** Waits for `main#app` to reach `state`. */
async function stateIs(page: Page, state: string): Promise<void> {
  await page.waitForSelector(`main#app[data-state="${state}"]`, { timeout: PAGE_WAIT_MS })
}

/** Answers the onboarding quiz (`q0`, `q1`, `q2`) and submits it. */
async function answerQuiz(page: Page, answers: readonly [string, string, string]): Promise<void> {
  await page.waitForSelector('#onboarding-form')
  for (const [index, answer] of answers.entries()) {
    await page.check(`input[name="q${index}"][value="${answer}"]`)
  }
  await page.click('#onboarding-submit')
}

const RIGHT_ANSWERS = ['positive', 'negative', 'neutral'] as const

let chrome: TestBrowser
let pages: Page[] = []

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

/** A page in a fresh context that records the React it runs (checked after each test). */
async function newPage(): Promise<Page> {
  const context = await chrome.newContext()
  await recordReactRenderers(context)
  const page = await context.newPage()
  pages.push(page)
  return page
}

// Each wait is bounded by PAGE_WAIT_MS; a test makes several.
describe.each(REACT_MAJORS)(
  'static-form example in Chromium under React %s (real router and backend)',
  { timeout: 40_000 },
  (react) => {
    let built: StaticFormPage | undefined
    const openStack = async (): Promise<Stack> => {
      if (built === undefined) throw new Error(`the page for React ${react} was not built`)
      return openStackIn(built.dir)
    }

    beforeAll(async () => {
      built = await staticFormPage(react)
    }, 30_000)

    afterAll(async () => {
      await built?.[Symbol.asyncDispose]()
    })

    // Every page a test opened ran the React the page was built for.
    afterEach(async () => {
      const opened = pages
      pages = []
      try {
        for (const page of opened) await assertReact(page, react)
      } finally {
        for (const page of opened) await page.context().close()
      }
    })

    it('shows a preview without ids and never registers', async () => {
      await using stack = await openStack()
      const run = await stack.startBackend()
      const page = await newPage()
      const requests: string[] = []
      page.on('request', (request) => requests.push(new URL(request.url()).pathname))

      await page.goto(stack.url())
      await stateIs(page, 'preview')

      expect(await page.textContent('#preview')).toBe(
        'preview: open the link with worker_id and assignment_id',
      )
      expect(await page.textContent('#task-title')).toBe(task.taskConfig['task_title'])
      expect(await page.title()).toBe(task.taskConfig['task_title'])
      expect(requests).toContain('/task_config.json')
      expect(requests).not.toContain('/request_agent')
      expect(await stack.store.workers.list()).toEqual([])
      expect((await run.progress()).activeWorkers).toBe(0)
    })

    it('blocks a worker who fails onboarding, also after a reload', async () => {
      await using stack = await openStack()
      const run = await stack.startBackend()
      const page = await newPage()
      await page.goto(stack.url({ name: 'w1', assignment: run.units[0]!.assignmentId }))

      await answerQuiz(page, ['negative', 'negative', 'neutral'])
      await stateIs(page, 'blocked')
      expect(await page.textContent('#blocked')).toBe(FailureReason.ONBOARDING_FAILED)

      await page.reload()
      await stateIs(page, 'blocked')
      expect(await page.textContent('#blocked')).toBe(FailureReason.ONBOARDING_FAILED)
      expect(await page.$('#onboarding-form')).toBeNull()
    })

    it('onboards, labels with a screenshot and stores it; a second worker gets the next text', async () => {
      await using stack = await openStack()
      const run = await stack.startBackend()
      const texts = await exampleTexts()
      const page = await newPage()
      await page.goto(stack.url({ name: 'w1', assignment: run.units[0]!.assignmentId }))

      await answerQuiz(page, RIGHT_ANSWERS)
      await stateIs(page, 'task')
      expect(await page.textContent('#task-text')).toBe(texts[0])
      expect(await page.isDisabled('#submit')).toBe(true)

      await page.check('input[name="label"][value="positive"]')
      await page.fill('#comment', 'crisp and clear')
      const screenshot = Buffer.from('not really a png, but bytes all the same\n')
      await page.setInputFiles('#screenshot', {
        name: 'shot.png',
        mimeType: 'image/png',
        buffer: screenshot,
      })
      const completed = progressWhere(run, (progress) => progress.completed === 1)
      await page.click('#submit')
      await stateIs(page, 'thanks')
      expect(await page.textContent('#thanks h2')).toBe('Thank you!')
      // The mock provider's handleSubmitToProvider ran after the router took the answer.
      await page.waitForSelector('#faust-submitted')
      await completed

      const worker = await stack.store.workers.find({
        providerType: 'mock',
        workerName: 'w1_sandbox',
      })
      const agents = await stack.store.agents.listForRun(run.runId)
      const agent = agents.find((candidate) => candidate.workerId === worker?.id)
      expect(agent?.status).toBe('completed')
      const submission = await stack.store.submissions.get(agent!.id)
      expect(submission?.data).toMatchObject({ label: 'positive', comment: 'crisp and clear' })
      expect(submission?.files).toHaveLength(1)
      const file = submission!.files[0]!
      expect(file).toMatchObject({
        fieldName: 'screenshot',
        originalName: 'shot.png',
        mimetype: 'image/png',
        sizeBytes: screenshot.length,
      })
      expect(await readFile(join(stack.dataDir, file.storedPath))).toEqual(screenshot)
      const metadata = await stack.store.logs.listMetadata({ kind: 'agent', id: agent!.id })
      expect(metadata.map((entry) => entry.data)).toEqual([
        { feedback: { type: 'feedback', text: 'crisp and clear' } },
      ])

      const second = await newPage()
      await second.goto(stack.url({ name: 'w2', assignment: run.units[1]!.assignmentId }))
      await answerQuiz(second, RIGHT_ANSWERS)
      await stateIs(second, 'task')
      expect(await second.textContent('#task-text')).toBe(texts[1])
    })

    it('shows the backend’s reason to a blocked worker', async () => {
      await using stack = await openStack()
      const run = await stack.startBackend()
      const worker = await stack.store.workers.findOrCreate({
        providerType: 'mock',
        workerName: 'w9_sandbox',
      })
      await stack.store.qualifications.grant({ name: 'blocked', workerId: worker.id, value: 1 })
      const page = await newPage()
      await page.goto(stack.url({ name: 'w9', assignment: run.units[0]!.assignmentId }))

      await stateIs(page, 'blocked')
      expect(await page.textContent('#blocked')).toBe(FailureReason.BLOCKED)
      expect((await run.progress()).activeWorkers).toBe(0)
    })

    it('shows an error while no backend is attached, and Retry works once one is', async () => {
      await using stack = await openStack()
      const page = await newPage()
      // The client retries a 503 with backoff (1 s, 2 s, … 16 s): the page's
      // clock is fast-forwarded past each delay once the answer is in.
      await page.clock.install()
      const refusals: number[] = []
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/request_agent') refusals.push(response.status())
      })
      await page.goto(stack.url({ name: 'w1', assignment: 'not-yet' }))
      for (let attempt = 1; attempt < 6; attempt++) {
        await page.waitForResponse(
          (response) => new URL(response.url()).pathname === '/request_agent',
        )
        await page.clock.fastForward(30_000)
      }
      await stateIs(page, 'error')
      expect(await page.textContent('#error')).toBe(
        'no backend is attached to the router; please try again shortly',
      )
      expect(refusals).toEqual([503, 503, 503, 503, 503, 503])

      const run = await stack.startBackend()
      await page.click('#retry')
      await page.waitForSelector('#onboarding-form')
      expect((await run.progress()).activeWorkers).toBe(1)
    })
  },
)
