// @faust/jspsych in Chromium against the real stack: a jsPsych 8 experiment
// (pages/jspsych-page.tsx, real jsPsych and plugins, bundled by esbuild) served
// by a real router, its task run by the real backend (`startTask`, real time,
// a throwaway SQLite store). Keys are pressed and buttons clicked through the
// trials; the assertions read what the store holds. Every wait is bounded.
// The failure paths run the stack on startTask's FakeClock: a unit's timeout
// comes when the test moves that clock, not after a wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page, Request } from 'playwright-core'
import { createMessages } from '@faust/client'
import { systemClock, type Clock } from '@faust/protocol'
import { defineTask, type TaskDefinition } from '@faust/backend'
import type { FaustJsPsychSubmission } from '@faust/jspsych'
import { startTask, type TaskHarness } from '@faust/testing/task'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'
import { bundleJsPsychPage, writeJsPsychSite } from './jspsych-page-site.js'

const ITEM = { words: ['cat', 'dog'] }
// Two identical items: the run stays open after the first unit, for the reload.
const DATA = [ITEM, ITEM]

const QUIZ = { question: 'Click “Sure” to start.', choices: ['Unsure', 'Sure'] }

/** The quiz's second choice ("Sure") passes. */
function passesQuiz({ outputs }: { readonly outputs: unknown }): boolean {
  return (outputs as FaustJsPsychSubmission).trials[0]?.['response'] === 1
}

const staticTask = defineTask({ name: 'jspsych-final', page: 'dist', data: DATA })

// 'live-updates' needs a concurrent task: only its runner stores a page's live updates.
const liveTask = defineTask({
  name: 'jspsych-live',
  page: 'dist',
  taskType: 'concurrent',
  data: DATA,
  run: async ({ agents }) => {
    await agents[0]?.awaitSubmit({ timeoutSeconds: 120 })
  },
})

const onboardingTask = defineTask({
  name: 'jspsych-onboarding',
  page: 'dist',
  data: DATA,
  onboarding: { data: QUIZ, validate: passesQuiz },
})

const liveOnboardingTask = defineTask({
  name: 'jspsych-live-onboarding',
  page: 'dist',
  taskType: 'concurrent',
  data: DATA,
  run: async ({ agents }) => {
    await agents[0]?.awaitSubmit({ timeoutSeconds: 120 })
  },
  onboarding: { data: QUIZ, validate: passesQuiz },
})

/** The unit's `run` gives up on the submission after this long (on the FakeClock). */
const UNIT_TIMEOUT_SECONDS = 10

// Below the client's 20 s for a silent backend: moving the clock past it
// would also age the backend's last poll.
const timingOutTask = defineTask({
  name: 'jspsych-live-timeout',
  page: 'dist',
  taskType: 'concurrent',
  data: DATA,
  run: async ({ agents }) => {
    await agents[0]?.awaitSubmit({ timeoutSeconds: UNIT_TIMEOUT_SECONDS })
  },
})

let chrome: TestBrowser
let bundle: Uint8Array

beforeAll(async () => {
  ;[chrome, bundle] = await Promise.all([launchBrowser(), bundleJsPsychPage()])
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

async function serve<T>(task: TaskDefinition<T>): Promise<TaskHarness<Clock>> {
  const h = await startTask(task, { clock: systemClock, statusPollMs: 200 })
  await writeJsPsychSite(h.router.staticDir, bundle)
  return h
}

/**
 * The task on startTask's FakeClock. The router's own heartbeat timeout is
 * raised: moving the clock must end the unit, not make the page look gone.
 */
async function serveOnFakeClock<T>(task: TaskDefinition<T>): Promise<TaskHarness> {
  const h = await startTask(task, { router: { heartbeatTimeoutMs: 600_000 } })
  await writeJsPsychSite(h.router.staticDir, bundle)
  return h
}

/** A fresh browser context's page at the task, as `worker` (none: a preview). */
async function open(
  h: TaskHarness<Clock> | TaskHarness,
  worker: string | null,
  query: Record<string, string> = {},
): Promise<Page> {
  const context = await chrome.newContext()
  const page = await context.newPage()
  const params = new URLSearchParams(query)
  if (worker !== null) {
    params.set('worker_id', worker)
    params.set('assignment_id', `${worker}-assignment`)
  }
  await page.goto(`${h.router.router.url}/?${params.toString()}`)
  return page
}

async function showsWord(page: Page, word: string): Promise<void> {
  await page.locator('p.word', { hasText: word }).waitFor({ timeout: PAGE_WAIT_MS })
}

/**
 * Works through the unit's trials: `f` on "cat", `j` on "dog", "Sure";
 * `between` runs after each trial (to watch the store as the trials happen).
 */
async function doTrials(page: Page, between: (done: number) => Promise<void>): Promise<void> {
  await showsWord(page, 'cat')
  await page.keyboard.press('f')
  await between(1)
  await showsWord(page, 'dog')
  await page.keyboard.press('j')
  await between(2)
  await page.locator('p.confidence').waitFor({ timeout: PAGE_WAIT_MS })
  await page.getByRole('button', { name: 'Sure', exact: true }).click()
  await between(3)
}

async function endsAs(page: Page, result: string, screen: string): Promise<void> {
  await page.waitForSelector(`body[data-result="${result}"]`, { timeout: PAGE_WAIT_MS })
  await page.waitForSelector(`section[data-faust-state="${screen}"]`, { timeout: PAGE_WAIT_MS })
}

async function textsOf(page: Page): Promise<{ title: string; text: string }> {
  const section = page.locator('section[data-faust-state]')
  return {
    title: (await section.locator('h1').textContent()) ?? '',
    text: (await section.locator('p').first().textContent()) ?? '',
  }
}

const none = (): Promise<void> => Promise.resolve()

const EXPECTED_TRIALS = [
  { trial_type: 'html-keyboard-response', word: 'cat', response: 'f', trial_index: 0 },
  { trial_type: 'html-keyboard-response', word: 'dog', response: 'j', trial_index: 1 },
  { trial_type: 'html-button-response', response: 1, trial_index: 2 },
]

const en = createMessages()

/** Polls `read` until `done` holds of it (the store is written as the page works). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + PAGE_WAIT_MS
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > until) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe(
  '@faust/jspsych in Chromium (real jsPsych, router and backend)',
  { timeout: 60_000 },
  () => {
    it("'final': a preview, then the trials submitted once, and a reload shows them saved", async () => {
      await using h = await serve(staticTask)
      const preview = await open(h, null)
      await endsAs(preview, 'preview', 'preview')
      expect(await textsOf(preview)).toEqual({
        title: en.text('screen.preview.title'),
        text: en.text('screen.preview.text'),
      })

      const page = await open(h, 'w1')
      await doTrials(page, none)
      await endsAs(page, 'submitted', 'submitted')
      expect((await textsOf(page)).title).toBe(en.text('screen.submitted.title'))
      const results = await h.results()
      expect(results).toHaveLength(1)
      const data = results[0]?.data as FaustJsPsychSubmission
      expect(data).toMatchObject({ format: 'faust-jspsych/1', trial_data: 'final' })
      expect(data.trials).toMatchObject(EXPECTED_TRIALS)
      expect(data.finished_at).toBeGreaterThanOrEqual(data.started_at)
      const agentId = await page.getAttribute('body', 'data-agent')
      expect(await h.store.liveUpdates.list(agentId ?? '')).toEqual([])

      // The client knows the agent handed in: no timeline, no second submission.
      await page.reload()
      await endsAs(page, 'already-submitted', 'submitted-before')
      expect((await textsOf(page)).title).toBe(en.text('screen.submittedBefore.title'))
      expect(await h.results()).toHaveLength(1)
    })

    it("'live-updates': each trial is stored as it finishes, and the submission holds them all", async () => {
      await using h = await serve(liveTask)
      const page = await open(h, 'w1', { trial_data: 'live' })
      await showsWord(page, 'cat')
      const agentId = (await page.getAttribute('body', 'data-agent')) ?? ''
      const stored = async (): Promise<Record<string, unknown>[]> =>
        (await h.store.liveUpdates.list(agentId))
          .filter((update) => update.direction === 'from_agent')
          .map((update) => update.data as Record<string, unknown>)
      await doTrials(page, async (done) => {
        // Before the next trial starts: stored now, not only at the end.
        expect(await eventually(stored, (updates) => updates.length >= done)).toHaveLength(done)
      })
      await endsAs(page, 'submitted', 'submitted')

      const results = await h.results()
      expect(results).toHaveLength(1)
      const data = results[0]?.data as FaustJsPsychSubmission
      expect(data).toMatchObject({ format: 'faust-jspsych/1', trial_data: 'live-updates' })
      expect(data.trials).toMatchObject(EXPECTED_TRIALS)
      const updates = await stored()
      expect(updates).toMatchObject(
        EXPECTED_TRIALS.map((trial, index) => ({
          faust_jspsych: 'trial',
          run_id: data.run_id,
          index,
          trial,
          update_id: `${data.run_id}:${String(index)}`,
        })),
      )
    })

    it("'live-updates': a reload mid-timeline keeps the stored trials and hands them to the timeline", async () => {
      await using h = await serve(liveTask)
      const page = await open(h, 'w1', { trial_data: 'live' })
      await showsWord(page, 'cat')
      const agentId = (await page.getAttribute('body', 'data-agent')) ?? ''
      expect(await page.getAttribute('body', 'data-previous-trials')).toBe('0')
      await page.keyboard.press('f')
      const stored = (): Promise<unknown[]> => h.store.liveUpdates.list(agentId)
      expect(await eventually(stored, (updates) => updates.length >= 1)).toHaveLength(1)

      await page.reload()
      await showsWord(page, 'cat')
      expect(await page.getAttribute('body', 'data-agent')).toBe(agentId)
      expect(await page.getAttribute('body', 'data-previous-trials')).toBe('1')
      await doTrials(page, none)
      await endsAs(page, 'submitted', 'submitted')
      const results = await h.results()
      expect(results).toHaveLength(1)
      const data = results[0]?.data as FaustJsPsychSubmission
      expect(data.trials).toMatchObject(EXPECTED_TRIALS)
      // The first run's trial stays stored under its own run id.
      const runs = (await h.store.liveUpdates.list(agentId)).map(
        (update) => (update.data as { run_id?: string }).run_id,
      )
      expect(runs).toHaveLength(4)
      expect(runs.slice(1)).toEqual([data.run_id, data.run_id, data.run_id])
      expect(runs[0]).not.toBe(data.run_id)
    })

    it('onboarding: the block runs, its answers pass the validation, then the unit runs', async () => {
      await using h = await serve(onboardingTask)
      const page = await open(h, 'w1')
      await page.locator('p.quiz', { hasText: 'Click' }).waitFor({ timeout: PAGE_WAIT_MS })
      await page.getByRole('button', { name: 'Sure', exact: true }).click()
      await showsWord(page, 'cat')
      // The block's "saving" screen went with the block: only the trial shows.
      expect(await page.locator('section[data-faust-state]').count()).toBe(0)
      expect(await page.locator('#app .jspsych-content-wrapper').count()).toBe(1)
      await doTrials(page, none)
      await endsAs(page, 'submitted', 'submitted')
      const results = await h.results()
      expect(results).toHaveLength(1)
      expect((results[0]?.data as FaustJsPsychSubmission).trials).toMatchObject(EXPECTED_TRIALS)
    })

    it("onboarding, then a 'live-updates' unit of a concurrent task", async () => {
      await using h = await serve(liveOnboardingTask)
      const page = await open(h, 'w1', { trial_data: 'live' })
      await page.locator('p.quiz').waitFor({ timeout: PAGE_WAIT_MS })
      await page.getByRole('button', { name: 'Sure', exact: true }).click()
      await showsWord(page, 'cat')
      const agentId = (await page.getAttribute('body', 'data-agent')) ?? ''
      await doTrials(page, none)
      await endsAs(page, 'submitted', 'submitted')
      const data = (await h.results())[0]?.data as FaustJsPsychSubmission
      expect(data.trials).toMatchObject(EXPECTED_TRIALS)
      expect(await h.store.liveUpdates.list(agentId)).toHaveLength(EXPECTED_TRIALS.length)
    })

    it("a worker who fails onboarding sees the catalogue's refusal, not the timeline", async () => {
      await using h = await serve(onboardingTask)
      const page = await open(h, 'w2')
      await page.locator('p.quiz').waitFor({ timeout: PAGE_WAIT_MS })
      await page.getByRole('button', { name: 'Unsure', exact: true }).click()
      await endsAs(page, 'blocked', 'blocked')
      const refused = {
        title: en.text('refusal.ONBOARDING_FAILED.title'),
        text: en.text('refusal.ONBOARDING_FAILED.text'),
      }
      expect(await textsOf(page)).toEqual(refused)
      expect(await page.locator('p.word').count()).toBe(0)

      // Coming back, the worker is refused at registration with the same words.
      await page.reload()
      await endsAs(page, 'blocked', 'blocked')
      expect(await textsOf(page)).toEqual(refused)
      expect(await h.results()).toEqual([])
    })
  },
)

/** The error reports the page sent (`log_error`), once `count` are stored. */
async function errorLogs(
  h: TaskHarness,
  count: number,
): Promise<{ agent: unknown; data: unknown }[]> {
  return eventually(
    () => h.store.logs.listErrorLogs(),
    (logs) => logs.length >= count,
  )
}

/** The stored live updates the page sent for `agentId`. */
async function fromPage(h: TaskHarness, agentId: string): Promise<Record<string, unknown>[]> {
  return (await h.store.liveUpdates.list(agentId))
    .filter((update) => update.direction === 'from_agent')
    .map((update) => update.data as Record<string, unknown>)
}

describe(
  '@faust/jspsych failure paths in Chromium (real jsPsych, router and backend; FakeClock)',
  { timeout: 60_000 },
  () => {
    it.each([
      { fail: 'stimulus', mode: 'final' },
      { fail: 'on_finish', mode: 'live' },
    ] as const)(
      'a trial whose $fail throws ($mode trial data): an error screen and result, the error logged, nothing submitted',
      async ({ fail, mode }) => {
        await using h = await serveOnFakeClock(mode === 'live' ? liveTask : staticTask)
        const page = await open(h, 'w1', { fail, trial_data: mode })
        await showsWord(page, 'cat')
        const agentId = (await page.getAttribute('body', 'data-agent')) ?? ''
        await page.keyboard.press('f')
        if (fail === 'on_finish') {
          // jsPsych recorded the dog trial, then its on_finish threw.
          await showsWord(page, 'dog')
          await page.keyboard.press('j')
        }
        await endsAs(page, 'error', 'error')
        expect(await page.getAttribute('body', 'data-stage')).toBe('timeline')
        expect(await textsOf(page)).toEqual({
          title: en.text('screen.error.title'),
          text: `the ${fail} of the dog trial broke`,
        })
        // Reloading would run the same broken trial again: no Retry.
        expect(await page.getByRole('button').count()).toBe(0)
        // The rest of the timeline never runs, whatever the worker presses.
        await page.keyboard.press('j')
        expect(await page.locator('p.word, p.confidence').count()).toBe(0)

        const [log] = await errorLogs(h, 1)
        expect(log).toMatchObject({
          agent: { kind: 'agent', id: agentId },
          data: {
            faust_jspsych: 'error',
            stage: 'timeline',
            message: `the ${fail} of the dog trial broke`,
          },
        })
        expect(await h.results()).toEqual([])
        // Only the trial finished before the throw reached the backend.
        const sent = await fromPage(h, agentId)
        expect(sent.map((update) => (update['trial'] as { word?: string }).word)).toEqual(
          mode === 'live' ? ['cat'] : [],
        )
      },
    )

    it('a task with onboarding, a page without the block: an error naming the cause, logged', async () => {
      await using h = await serveOnFakeClock(onboardingTask)
      const page = await open(h, 'w1', { onboarding: 'none' })
      await endsAs(page, 'error', 'error')
      expect(await page.getAttribute('body', 'data-stage')).toBe('onboarding')
      const { title, text } = await textsOf(page)
      expect(title).toBe(en.text('screen.error.title'))
      expect(text).toContain('The task asks for onboarding')
      expect(text).toContain('no `onboarding` block')
      expect(await page.locator('p.quiz, p.word').count()).toBe(0)
      expect(await page.getByRole('button').count()).toBe(0)

      const [log] = await errorLogs(h, 1)
      expect(log).toMatchObject({
        agent: { kind: 'onboarding' },
        data: { faust_jspsych: 'error', stage: 'onboarding', message: text },
      })
      expect(await h.results()).toEqual([])
    })

    it("a submission never acknowledged: 'Try again' once the router answers stores it once", async () => {
      await using h = await serveOnFakeClock(staticTask)
      const page = await open(h, 'w1', { submit_attempts: '2' })
      const keys: (string | undefined)[] = []
      page.on('request', (request: Request) => {
        if (request.url().includes('/submit_task')) keys.push(request.headers()['idempotency-key'])
      })
      let tries = 0
      // The first try reaches the backend, which stores it; the page never hears so.
      // The others do not get through at all. After two, the client is out of tries.
      await page.route('**/submit_task', async (route) => {
        tries += 1
        if (tries === 1) await route.fetch()
        await route.fulfill({ status: 503, body: 'Service Unavailable' })
      })
      await doTrials(page, none)
      await page.waitForSelector('section[data-faust-state="failed"]', { timeout: PAGE_WAIT_MS })
      const failed = await textsOf(page)
      expect(failed.title).toBe(en.text('screen.failed.title'))
      expect(failed.text).toContain('They are kept in this browser.')
      expect(tries).toBe(2)
      // The result waits for the worker: "Try again" may still save it.
      expect(await page.getAttribute('body', 'data-result')).toBeNull()

      // Pressed while the router still fails: two more tries, and the button again.
      const tryAgain = page.getByRole('button', { name: en.text('screen.failed.button') })
      await tryAgain.click()
      await page.waitForSelector('section[data-faust-state="failed"]', { timeout: PAGE_WAIT_MS })
      expect(tries).toBe(4)
      expect(await page.getAttribute('body', 'data-result')).toBeNull()

      await page.unroute('**/submit_task')
      await tryAgain.click()
      await endsAs(page, 'submitted', 'submitted')
      expect(keys).toHaveLength(5)
      expect(new Set(keys).size).toBe(1)
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
      const results = await h.results()
      expect(results).toHaveLength(1)
      expect((results[0]?.data as FaustJsPsychSubmission).trials).toMatchObject(EXPECTED_TRIALS)
    })

    it.each(['expired', 'timeout'] as const)(
      "a unit that becomes '%s' mid-timeline: the timeline stops, the catalogue's text, nothing submitted",
      async (status) => {
        await using h = await serveOnFakeClock(timingOutTask)
        const page = await open(h, 'w1', { trial_data: 'live' })
        await showsWord(page, 'cat')
        const agentId = (await page.getAttribute('body', 'data-agent')) ?? ''
        await page.keyboard.press('f')
        await showsWord(page, 'dog')
        expect(
          await eventually(
            () => fromPage(h, agentId),
            (sent) => sent.length >= 1,
          ),
        ).toHaveLength(1)

        if (status === 'expired') {
          const agent = await h.store.agents.get(agentId)
          await h.run.change({ kind: 'expire_units', units: [agent?.unitId ?? ''] }, 'cli')
        } else {
          h.clock.advance(UNIT_TIMEOUT_SECONDS * 1000)
        }
        await endsAs(page, 'ended', 'ended')
        expect(await page.getAttribute('body', 'data-agent-status')).toBe(status)
        expect(await textsOf(page)).toEqual({
          title: en.text(`blocked.${status}.title`),
          text: en.text(`blocked.${status}.text`),
        })
        // The result comes only once jsPsych's run resolved: the timeline was
        // stopped, not left running under the screen. The trial shown is gone.
        await page.keyboard.press('j')
        expect(await page.locator('p.word, p.confidence').count()).toBe(0)

        expect(await h.results()).toEqual([])
        expect((await h.store.agents.get(agentId))?.status).toBe(status)
        // The trial cut short was not sent.
        expect(await fromPage(h, agentId)).toHaveLength(1)

        // A reload is refused at registration: the timeline does not run again.
        await page.reload()
        await endsAs(page, 'blocked', 'blocked')
        expect(await page.locator('p.word').count()).toBe(0)
        expect(await h.results()).toEqual([])
      },
    )
  },
)
