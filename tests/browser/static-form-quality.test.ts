// Screening and gold units (docs/backend.md "Screening and gold units") in
// Chromium: the static-form example's built page (React 19,
// examples/static-form/dist) served by a real router, a task of this file's
// own (the example's page and labels, no onboarding quiz) run by the real
// backend on a temporary SQLite folder. The page only sees ordinary units: a
// worker labels the test text like any other, and the next visit shows what
// the backend's verdict allows. Real time; every wait is bounded and waits on
// an event.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { FailureReason, systemClock } from '@faust/protocol'
import {
  defineTask,
  mockProvider,
  runTask,
  silentLogger,
  type GoldOptions,
  type ScreeningOptions,
  type TaskRunHandle,
} from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import { prepareSite } from '@faust/cli'
import { startTestRouter, type TestRouter } from '@faust/testing'
import example from '../../examples/static-form/task.js'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'
import { EXAMPLE_DIR, staticFormPage } from './static-form-page.js'
import { progressWhere } from './run-progress.js'

const TASK_NAME = 'label-quality'

/** The run's real texts, one per assignment. */
const REAL_ITEMS = [
  { id: 'r1', text: 'Real text one: the parcel came a day early.' },
  { id: 'r2', text: 'Real text two: the screen scratches far too easily.' },
]

/** Test texts with the label a careful worker gives them. */
const TEST_ITEMS = [
  { id: 'q1', text: 'Test text: I adore this kettle, it is perfect.', expected: 'positive' },
  { id: 'q2', text: 'Test text: dreadful service, never again.', expected: 'negative' },
]

/** Whether the page's answer (`{ label, comment }`) names the item's expected label. */
function labelledAsExpected({ inputs, outputs }: { inputs: unknown; outputs: unknown }): boolean {
  const expected = (inputs as { expected?: unknown } | null)?.expected
  return (outputs as { label?: unknown } | null)?.label === expected
}

const SCREENING: ScreeningOptions = {
  data: TEST_ITEMS,
  validate: labelledAsExpected,
  maxUnits: 5,
}

const GOLDS: GoldOptions = {
  units: TEST_ITEMS,
  check: labelledAsExpected,
  minGolds: 1,
  maxIncorrect: 0,
  maxUnits: 5,
}

/** A router serving the example's page, a store, and a run of a task with `quality`. */
interface Stack extends AsyncDisposable {
  readonly store: Store
  readonly run: TaskRunHandle
  /** The page URL for worker `name`'s visit `visit` (each visit a new assignment id). */
  url(name: string, visit: number): string
}

async function openStack(
  pageDir: string,
  quality: { screening: ScreeningOptions } | { golds: GoldOptions },
): Promise<Stack> {
  const task = defineTask<unknown>({
    name: TASK_NAME,
    page: 'dist',
    data: REAL_ITEMS,
    unitsPerAssignment: 1,
    assignmentDurationSeconds: 600,
    taskConfig: example.taskConfig,
    ...quality,
  })
  const root = await mkdtemp(join(tmpdir(), 'faust-browser-quality-'))
  const siteDir = join(root, 'site')
  await prepareSite({ pageDir, siteDir, task, provider: mockProvider })
  const t: TestRouter = await startTestRouter({ clock: systemClock, staticDir: siteDir })
  const store = await openDatabase({ dataDir: join(root, 'data'), clock: systemClock })
  const run = await runTask({
    task,
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
    url: (name, visit) =>
      `${t.router.url}/?${new URLSearchParams({
        worker_id: name,
        assignment_id: `${name}-visit-${String(visit)}`,
      }).toString()}`,
    async [Symbol.asyncDispose]() {
      await run.stop()
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

/** Opens `url` and waits for the task form; returns the text it shows. */
async function textShownAt(page: Page, url: string): Promise<string | null> {
  await page.goto(url)
  await stateIs(page, 'task')
  return page.textContent('#task-text')
}

/** Labels the shown text `label` and submits, as a worker does. */
async function labelAndSubmit(page: Page, label: string): Promise<void> {
  await page.check(`input[name="label"][value="${label}"]`)
  await page.click('#submit')
  await stateIs(page, 'thanks')
}

/** Opens `url` and waits for the blocked view; returns the reason it shows. */
async function blockedAt(page: Page, url: string): Promise<string | null> {
  await page.goto(url)
  await stateIs(page, 'blocked')
  return page.textContent('#blocked')
}

/** A worker's local qualifications, name → value. */
async function grantsOf(store: Store, name: string): Promise<Record<string, number>> {
  const worker = await store.workers.find({ providerType: 'mock', workerName: `${name}_sandbox` })
  if (worker === null) throw new Error(`worker ${name} never registered`)
  const grants = await store.qualifications.listForWorker(worker.id)
  return Object.fromEntries(grants.map((grant) => [grant.qualificationName, grant.value]))
}

/** The run's stored submissions, test units included: [worker, kind, shown text, label]. */
async function submissionsOf(store: Store): Promise<[string, string, string, unknown][]> {
  const rows = await store.results.exportSubmissions({
    taskName: TASK_NAME,
    includeQualityControl: true,
  })
  return rows.map((row) => [
    row.workerName,
    row.unitKind,
    (row.sharedData as { text: string }).text,
    (row.data as { label?: unknown }).label,
  ])
}

let chrome: TestBrowser
let pageDir = ''
const contexts: { close(): Promise<void> }[] = []

beforeAll(async () => {
  chrome = await launchBrowser()
  // The workspace's own build (React 19): nothing to remove afterwards.
  pageDir = (await staticFormPage('19')).dir
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})

async function newPage(): Promise<Page> {
  const context = await chrome.newContext()
  contexts.push(context)
  return context.newPage()
}

describe('screening units in Chromium (real router and backend)', { timeout: 30_000 }, () => {
  it('shows a new worker the screening text; labelled right, the next visit shows a real text', async () => {
    await using stack = await openStack(pageDir, { screening: SCREENING })
    const page = await newPage()
    expect(await textShownAt(page, stack.url('wa', 1))).toBe(TEST_ITEMS[0]!.text)
    // A reload during screening shows the same screening text.
    await page.reload()
    await stateIs(page, 'task')
    expect(await page.textContent('#task-text')).toBe(TEST_ITEMS[0]!.text)

    await labelAndSubmit(page, 'positive')
    expect(await textShownAt(page, stack.url('wa', 2))).toBe(REAL_ITEMS[0]!.text)
    expect(await grantsOf(stack.store, 'wa')).toEqual({ [`${TASK_NAME}-screening-passed`]: 1 })
    expect(await submissionsOf(stack.store)).toEqual([
      ['wa_sandbox', 'screening', TEST_ITEMS[0]!.text, 'positive'],
    ])
    // The screening unit is not the run's work: both real units are still open.
    expect(await stack.run.progress()).toMatchObject({ total: 2, completed: 0 })
  })

  it('blocks a worker who labels the screening text wrong, on every later visit', async () => {
    await using stack = await openStack(pageDir, { screening: SCREENING })
    // Another worker took the first screening item: this one gets the second.
    const first = await newPage()
    expect(await textShownAt(first, stack.url('wa', 1))).toBe(TEST_ITEMS[0]!.text)

    const page = await newPage()
    expect(await textShownAt(page, stack.url('wb', 1))).toBe(TEST_ITEMS[1]!.text)
    await labelAndSubmit(page, 'positive')
    expect(await blockedAt(page, stack.url('wb', 2))).toBe(FailureReason.NOT_QUALIFIED)
    expect(await blockedAt(page, stack.url('wb', 3))).toBe(FailureReason.NOT_QUALIFIED)
    expect(await grantsOf(stack.store, 'wb')).toEqual({ [`${TASK_NAME}-screening-failed`]: 1 })
    expect(await submissionsOf(stack.store)).toEqual([
      ['wb_sandbox', 'screening', TEST_ITEMS[1]!.text, 'positive'],
    ])
    expect(await stack.run.progress()).toMatchObject({ total: 2, completed: 0, inProgress: 0 })
  })
})

describe('gold units in Chromium (real router and backend)', { timeout: 30_000 }, () => {
  it('shows a new worker the gold first; answered right, the next visit shows a real text', async () => {
    await using stack = await openStack(pageDir, { golds: GOLDS })
    const page = await newPage()
    expect(await textShownAt(page, stack.url('wa', 1))).toBe(TEST_ITEMS[0]!.text)
    await labelAndSubmit(page, 'positive')

    expect(await textShownAt(page, stack.url('wa', 2))).toBe(REAL_ITEMS[0]!.text)
    expect(await grantsOf(stack.store, 'wa')).toEqual({ [`${TASK_NAME}-correct-golds`]: 1 })
    // The page thanks the worker once the router has the answer; the backend stores it next.
    const completed = progressWhere(stack.run, (progress) => progress.completed === 1)
    await labelAndSubmit(page, 'neutral')
    await completed
    expect(await submissionsOf(stack.store)).toEqual([
      ['wa_sandbox', 'gold', TEST_ITEMS[0]!.text, 'positive'],
      ['wa_sandbox', 'unit', REAL_ITEMS[0]!.text, 'neutral'],
    ])
  })

  it('disqualifies a worker who answers the gold wrong: the next visit is blocked', async () => {
    await using stack = await openStack(pageDir, { golds: GOLDS })
    const page = await newPage()
    expect(await textShownAt(page, stack.url('wb', 1))).toBe(TEST_ITEMS[0]!.text)
    await labelAndSubmit(page, 'negative')

    expect(await blockedAt(page, stack.url('wb', 2))).toBe(FailureReason.NOT_QUALIFIED)
    expect(await grantsOf(stack.store, 'wb')).toEqual({
      [`${TASK_NAME}-wrong-golds`]: 1,
      [`${TASK_NAME}-disqualified`]: 1,
    })
    expect(await submissionsOf(stack.store)).toEqual([
      ['wb_sandbox', 'gold', TEST_ITEMS[0]!.text, 'negative'],
    ])
    expect(await stack.run.progress()).toMatchObject({ total: 2, completed: 0, inProgress: 0 })
  })
})
