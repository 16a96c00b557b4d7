// The worker's screens pass axe-core, in both shipped languages: the
// static-form example (onboarding, task, submitted) and the chat example's
// waiting room against the real router and backend, and every refusal's
// blocked screen against a scripted backend. Each example's task is run with
// `locale` set as `defineTask({ locale })` sets it; the pages are the built
// examples (React 19). Real time; every wait is bounded and waits on an event.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { FailureReason, systemClock } from '@faust/protocol'
import { createMessages } from '@faust/client'
import {
  mockProvider,
  runTask,
  silentLogger,
  type TaskDefinition,
  type TaskRunHandle,
} from '@faust/backend'
import { openDatabase, type Store } from '@faust/backend/store'
import { prepareSite } from '@faust/cli'
import { startTestRouter, within, type TestRouter } from '@faust/testing'
import staticFormTask from '../../examples/static-form/task.js'
import chatTask from '../../examples/chat/task.js'
import { expectNoAxeViolations } from './axe.js'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '../../examples')
const LOCALES = ['en', 'es'] as const

/** The task with the worker's language set, as `defineTask({ locale })` passes it to the page. */
function inLocale(task: TaskDefinition, locale: string): TaskDefinition {
  return { ...task, taskConfig: { ...task.taskConfig, locale } }
}

interface Stack extends AsyncDisposable {
  readonly t: TestRouter
  /** The page URL for worker `name` on assignment `assignment`. */
  url(name: string, assignment: string): string
}

/** A router serving `example`'s built page for `task`; with `run`, the real backend runs it. */
async function openStack(
  example: string,
  task: TaskDefinition,
  run: boolean,
): Promise<Stack & { readonly run: TaskRunHandle | null }> {
  const pageDir = join(EXAMPLES, example, 'dist')
  if (!existsSync(join(pageDir, 'index.html'))) {
    throw new Error(`${pageDir} is not built: run \`npm run build\` first`)
  }
  const root = await mkdtemp(join(tmpdir(), `faust-a11y-${example}-`))
  const siteDir = join(root, 'site')
  await prepareSite({ pageDir, siteDir, task, provider: mockProvider })
  const t = await startTestRouter({ clock: systemClock, staticDir: siteDir })
  let store: Store | null = null
  let handle: TaskRunHandle | null = null
  if (run) {
    store = await openDatabase({ dataDir: join(root, 'data'), clock: systemClock })
    handle = await runTask({
      task: { ...task, hooks: {} },
      baseDir: join(EXAMPLES, example),
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
  }
  return {
    t,
    run: handle,
    url: (name, assignment) =>
      `${t.router.url}/?${new URLSearchParams({ worker_id: name, assignment_id: assignment }).toString()}`,
    async [Symbol.asyncDispose]() {
      await handle?.stop()
      await store?.close()
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

async function newPage(): Promise<Page> {
  const page = await (await chrome.newContext()).newPage()
  pages.push(page)
  return page
}

describe.each(LOCALES)('worker screens pass axe-core in %s', { timeout: 60_000 }, (locale) => {
  const library = createMessages({ locale })

  it('static-form: the onboarding quiz, the task and the thanks', async () => {
    await using stack = await openStack('static-form', inLocale(staticFormTask, locale), true)
    const page = await newPage()
    await page.goto(stack.url('w1', 'asg-1'))
    await stateIs(page, 'onboarding')
    expect(await page.getAttribute('html', 'lang')).toBe(locale)
    expect(await page.textContent('#onboarding-heading')).toBe(
      locale === 'es' ? 'Cuestionario de entrada' : 'Onboarding quiz',
    )
    await expectNoAxeViolations(page, `the onboarding quiz (${locale})`)

    for (const [index, answer] of ['positive', 'negative', 'neutral'].entries()) {
      await page.check(`input[name="q${String(index)}"][value="${answer}"]`)
    }
    await page.click('#onboarding-submit')
    await stateIs(page, 'task')
    await expectNoAxeViolations(page, `the task form (${locale})`)

    await page.check('input[name="label"][value="positive"]')
    await page.click('#submit')
    await stateIs(page, 'thanks')
    expect(await page.textContent('#thanks h2')).toBe(locale === 'es' ? '¡Gracias!' : 'Thank you!')
    await expectNoAxeViolations(page, `the thanks (${locale})`)

    // A reload: the library's "already submitted" screen, in the task's language.
    await page.reload()
    await stateIs(page, 'submitted')
    expect(await page.textContent('section.faust-status h2')).toBe(
      library.text('screen.submittedBefore.title'),
    )
    await expectNoAxeViolations(page, `the already-submitted screen (${locale})`)
  })

  it('static-form: every refusal has its own title and text, in the language', async () => {
    await using stack = await openStack('static-form', inLocale(staticFormTask, locale), false)
    const backend = await stack.t.connectBackend()
    const page = await newPage()
    for (const [index, key] of (
      Object.keys(FailureReason) as (keyof typeof FailureReason)[]
    ).entries()) {
      const registered = within(backend.next('register_agent'), PAGE_WAIT_MS, 'register_agent')
      await page.goto(stack.url(`w${String(index)}`, 'a1'))
      backend.answer(await registered, { agentId: null, failureReason: FailureReason[key] })
      await stateIs(page, 'blocked')
      expect([key, await page.textContent('#blocked-heading')]).toEqual([
        key,
        library.text(`refusal.${key}.title`),
      ])
      expect(await page.textContent('#blocked')).toBe(library.text(`refusal.${key}.text`))
      await expectNoAxeViolations(page, `the ${key} screen (${locale})`)
    }
  })

  it('chat: the waiting room', async () => {
    await using stack = await openStack('chat', inLocale(chatTask, locale), true)
    const page = await newPage()
    await page.goto(stack.url('w1', 'asg-w1'))
    await page.waitForSelector('#onboarding-form')
    await expectNoAxeViolations(page, `the chat's quiz (${locale})`)
    await page.check('#q0-person')
    await page.check('#q1-done')
    await page.click('#onboarding-submit')
    await stateIs(page, 'waiting')
    expect(await page.textContent('#waiting')).toBe(
      locale === 'es' ? 'Esperando a que se una un compañero…' : 'Waiting for a partner to join…',
    )
    await expectNoAxeViolations(page, `the chat's waiting room (${locale})`)
  })
})

describe('the axe helper', { timeout: 30_000 }, () => {
  it('fails on a violation, naming the rule and the element', async () => {
    const page = await newPage()
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>x</h1>' +
        '<button id="mute"></button></main></body></html>',
    )
    await expect(expectNoAxeViolations(page, 'a bad page')).rejects.toThrow(
      /violation\(s\) on a bad page:[\s\S]*button-name[\s\S]*#mute/,
    )
  })
})
