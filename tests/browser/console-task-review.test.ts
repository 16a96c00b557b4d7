// A task's own review view in the console, in Chromium against the real
// stack: the static-form example's `review.tsx`, bundled by the CLI's builder
// as `faust run` bundles it, draws each submission (text, label, comment and
// the uploaded screenshot) under the console's strict CSP; the buttons under
// it still review. A view that throws shows its error in place.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { defineTask, type TaskDefinition } from '@faust/backend'
import { buildReview } from '../../packages/cli/src/task/build-review.js'
import { expectNoAxeViolations } from './axe.js'
import { launchBrowser, type TestBrowser } from './browser.js'
import { startConsoleStack, type ConsoleStack } from './console-stack.js'

const EXAMPLE_REVIEW = fileURLToPath(
  new URL('../../examples/static-form/src/review.tsx', import.meta.url),
)
const BROKEN_REVIEW = fileURLToPath(new URL('pages/broken-review.tsx', import.meta.url))

/** A picture for the worker to attach: Chromium's own PNG of a small page. */
async function screenshotOfAPage(): Promise<Buffer> {
  const context = await chrome.newContext()
  try {
    const page = await context.newPage()
    await page.setViewportSize({ width: 240, height: 120 })
    await page.setContent(
      '<body style="margin:0;background:#fde7e9;font:16px sans-serif;padding:16px">' +
        '<b>Error 500</b><br>The page did not load.</body>',
    )
    return await page.screenshot()
  } finally {
    await context.close()
  }
}

const labelled = defineTask({
  name: 'review-view',
  page: 'dist',
  data: [
    { id: 't1', text: 'The battery lasts for days.' },
    { id: 't2', text: 'The box arrived crushed.' },
  ],
})

const broken = defineTask({ name: 'review-view-broken', page: 'dist', data: [{ text: 'x' }] })

let chrome: TestBrowser
let dataDir: string

/** docs/console/<name>.png with FAUST_UPDATE_SCREENSHOTS=1 (docs/console.md), else a scratch file. */
function screenshotPath(name: string): string {
  if (process.env['FAUST_UPDATE_SCREENSHOTS'] === '1') {
    return fileURLToPath(new URL(`../../docs/console/${name}.png`, import.meta.url))
  }
  return join(dataDir, `${name}.png`)
}

beforeAll(async () => {
  chrome = await launchBrowser()
  dataDir = await mkdtemp(join(tmpdir(), 'faust-review-view-'))
  await buildReview({ taskName: labelled.name, source: EXAMPLE_REVIEW, dataDir })
  await buildReview({ taskName: broken.name, source: BROKEN_REVIEW, dataDir })
}, 60_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
  await rm(dataDir, { recursive: true, force: true })
})

async function stackFor<TData>(task: TaskDefinition<TData>): Promise<ConsoleStack> {
  return startConsoleStack(chrome, task, { reviewDir: join(dataDir, 'review') })
}

function card(page: Page, worker: string) {
  return page.getByRole('article', { name: new RegExp(`by ${worker}_sandbox`) })
}

describe("a task's own review view", () => {
  it('draws each submission with the task’s component, under the CSP, and its buttons review', async () => {
    await using stack = await stackFor(labelled)
    const alice = await stack.h.worker('alice')
    await alice.register()
    const photo = new File([await screenshotOfAPage()], 'screenshot.png', { type: 'image/png' })
    await alice.submit(
      { label: 'positive', comment: 'clear case' },
      { files: { screenshot: photo } },
    )
    const bob = await stack.h.worker('bob')
    await bob.register()
    await bob.submit({ label: 'negative', comment: '' })

    const page = await stack.open(`#/runs/${stack.h.run.runId}/review`)
    const aliceCard = card(page, 'alice')
    const view = aliceCard.getByRole('region', { name: /^Labelled text, unit / })
    await view.waitFor()
    expect(await view.locator('blockquote').innerText()).toBe('The battery lasts for days.')
    expect(await view.locator('strong').getAttribute('data-label')).toBe('positive')
    expect(await view.innerText()).toContain('clear case')
    // The screenshot is shown inline, loaded from the console's file route.
    const image = view.getByRole('img', { name: /^Screenshot / })
    await expect
      .poll(() => image.evaluate((img: { naturalWidth: number }) => img.naturalWidth))
      .toBe(240)
    const bobView = card(page, 'bob').getByRole('region', { name: /^Labelled text, unit / })
    expect(await bobView.locator('blockquote').innerText()).toBe('The box arrived crushed.')
    // The generic view is still there, folded.
    expect(await aliceCard.getByText('Generic view of the data').count()).toBe(1)
    await page.mouse.move(0, 0)
    await page.screenshot({ path: screenshotPath('review-view') })
    await expectNoAxeViolations(page, "the review queue with the task's own view")

    await aliceCard.getByRole('button', { name: 'Approve', exact: true }).click()
    await page
      .getByRole('log')
      .getByText(/^Approve .*: done$/)
      .waitFor()
    await expect.poll(() => page.getByRole('article').count()).toBe(1)
    // The remaining card keeps its own view (the mounted root follows its item).
    expect(await card(page, 'bob').locator('blockquote').innerText()).toBe(
      'The box arrived crushed.',
    )
    expect(await stack.problems(page)).toEqual([])
  }, 60_000)

  it('shows a view that throws as an error in place, and the buttons still work', async () => {
    await using stack = await stackFor(broken)
    const carol = await stack.h.worker('carol')
    await carol.register()
    await carol.submit({ answer: 'fine' })
    const page = await stack.open(`#/runs/${stack.h.run.runId}/review`)
    const carolCard = card(page, 'carol')
    await carolCard
      .getByRole('alert')
      .filter({ hasText: 'the review view broke on purpose' })
      .waitFor()
    await carolCard.getByRole('button', { name: 'Soft-reject', exact: true }).click()
    await page
      .getByRole('log')
      .getByText(/^Soft-reject .*: done$/)
      .waitFor()
  }, 60_000)

  it('shows a live task’s conversation in the generic view', async () => {
    const chat = defineTask({
      name: 'review-view-chat',
      page: 'dist',
      taskType: 'concurrent',
      unitsPerAssignment: 2,
      data: [{ topic: 'cats' }],
      run: async ({ agents }) => {
        const [first, second] = agents
        if (first === undefined || second === undefined) throw new Error('two agents expected')
        await first.observe({ text: 'welcome' })
        const said = await first.receive({ timeoutSeconds: 60 })
        await second.observe({ text: said['text'], from: 'partner' })
      },
    })
    await using stack = await startConsoleStack(chrome, chat)
    const erin = await stack.h.worker('erin')
    const fred = await stack.h.worker('fred')
    await erin.register()
    await fred.register()
    await erin.nextLiveUpdate((update) => update['text'] === 'welcome')
    await erin.sendLiveUpdate({ text: 'hello fred' })
    await fred.nextLiveUpdate((update) => update['from'] === 'partner')
    for (const bot of [erin, fred]) {
      await bot.nextLiveUpdate((update) => 'task_data' in update)
      await bot.submit({ rating: 5 })
    }
    const page = await stack.open(`#/runs/${stack.h.run.runId}/review`)
    const erinCard = card(page, 'erin')
    // Both ways, and the task's own "done" at the end.
    await erinCard.getByText('Live updates (3)').click()
    const lines = erinCard.locator('.conversation li')
    expect(await lines.allInnerTexts()).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d task:\s+text: welcome$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d worker:\s+text: hello fred$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d task:\s+task_data: \{"task_done":true\}$/),
    ])
    expect(await stack.problems(page)).toEqual([])
  }, 60_000)

  it('falls back to the generic view for a task without one', async () => {
    const plain = defineTask({ name: 'review-view-plain', page: 'dist', data: [{ text: 'y' }] })
    await using stack = await stackFor(plain)
    const dave = await stack.h.worker('dave')
    await dave.register()
    await dave.submit({ answer: 'plain answer' })
    const page = await stack.open(`#/runs/${stack.h.run.runId}/review`)
    const daveCard = card(page, 'dave')
    await daveCard.getByText('plain answer').waitFor()
    expect(await daveCard.getByText('Generic view of the data').count()).toBe(0)
    expect(await stack.problems(page)).toEqual([])
  }, 60_000)
})
