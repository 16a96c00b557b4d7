// Screenshots of every console view (Chromium, 1280×800) on a real run that
// bots worked on, for docs/console.md. Each view must render its own heading
// and content first, so a broken view fails here. The pictures go to a
// temporary folder, or to docs/console/ with FAUST_UPDATE_SCREENSHOTS=1.
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { defineTask } from '@faust/backend'
import { launchBrowser, type TestBrowser } from './browser.js'
import { expectNoAxeViolations } from './axe.js'
import { startConsoleStack, type ConsoleStack } from './console-stack.js'

const DOCS_DIR = fileURLToPath(new URL('../../docs/console/', import.meta.url))

const task = defineTask({
  name: 'sentiment',
  page: 'dist',
  data: [
    { text: 'The battery lasts two days and the screen is sharp.' },
    { text: 'Arrived broken, and support never answered.' },
    { text: 'It does what it says.' },
    { text: 'Too loud for an office.' },
    { text: 'Would buy again.' },
    { text: 'The manual is in the wrong language.' },
  ],
})

let chrome: TestBrowser
let outDir: string
let scratch: string | null = null

beforeAll(async () => {
  chrome = await launchBrowser()
  if (process.env['FAUST_UPDATE_SCREENSHOTS'] === '1') {
    outDir = DOCS_DIR
  } else {
    scratch = await mkdtemp(join(tmpdir(), 'faust-console-shots-'))
    outDir = scratch
  }
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
  if (scratch !== null) await rm(scratch, { recursive: true, force: true })
})

/** A run part-way through: submissions, one reviewed, one worker still working. */
async function busyRun(stack: ConsoleStack): Promise<void> {
  const { h } = stack
  const comments = [
    'Clear positive.',
    'Angry customer, clearly negative: the box arrived broken and nobody at support answered for a week.',
    'Neutral at best.',
  ]
  const names = ['ana', 'ben', 'chloe']
  for (const [i, name] of names.entries()) {
    const bot = await h.worker(name, { live: true })
    await bot.register()
    await bot.submit({
      label: i === 1 ? 'negative' : 'positive',
      confidence: 3 + i,
      comment: comments[i],
    })
  }
  const dev = await h.worker('dev', { live: true })
  await dev.register()
}

/** Saves the view, and checks it with axe-core (WCAG 2 A and AA, best practices). */
async function shoot(page: Page, name: string): Promise<void> {
  const path = join(outDir, `${name}.png`)
  await page.screenshot({ path })
  expect((await stat(path)).size).toBeGreaterThan(10_000)
  await expectNoAxeViolations(page, `the console's ${name} view`)
}

describe('console screenshots', () => {
  it('renders each view at 1280×800', async () => {
    await using stack = await startConsoleStack(chrome, task)
    await busyRun(stack)
    const runId = stack.h.run.runId
    const page = await stack.open()

    await page.getByText('3 of 6 units completed').waitFor()
    await page.locator('.recharts-surface').first().waitFor()
    await shoot(page, 'runs')

    await page.goto(`${stack.server.origin}/#/runs/${runId}`)
    await page.getByRole('row', { name: /dev_sandbox/ }).waitFor()
    await shoot(page, 'run')

    await page
      .getByRole('link', { name: /ben_sandbox/ })
      .first()
      .click()
    await page.getByRole('heading', { name: /Timeline/ }).waitFor()
    await page.locator('ol.timeline > li[data-kind="submitted"]').waitFor()
    await shoot(page, 'agent')

    await page.goto(`${stack.server.origin}/#/runs/${runId}/review`)
    const ana = page.getByRole('article', { name: /by ana_sandbox/ })
    await ana.getByRole('button', { name: 'Approve', exact: true }).click()
    await page
      .getByRole('log')
      .getByText(/: done$/)
      .waitFor()
    const ben = page.getByRole('article', { name: /by ben_sandbox/ })
    await ben.getByRole('button', { name: 'Pay bonus', exact: true }).click()
    await ben.getByLabel('Amount in dollars').fill('0.50')
    await ben.getByLabel('Reason').fill('Helpful comment')
    await page.mouse.move(0, 0)
    await page.evaluate('window.scrollTo(0, 0)')
    await shoot(page, 'review')
    await ben.getByRole('button', { name: 'Send bonus' }).click()
    await page
      .getByRole('log')
      .getByText(/^Pay bonus .*: done$/)
      .waitFor()
    const chloe = page.getByRole('article', { name: /by chloe_sandbox/ })
    await chloe.getByRole('button', { name: 'Reject', exact: true }).click()
    await chloe.getByLabel('Reason').fill('Did not read the text')
    await chloe.getByRole('button', { name: 'Send rejection' }).click()
    await page
      .getByRole('log')
      .getByText(/^Reject .*: done$/)
      .waitFor()
    await page.getByLabel('Status').selectOption('all')
    await chloe.getByRole('button', { name: 'Block worker', exact: true }).click()
    await chloe.getByLabel(/Reason/).fill('Random answers')
    await chloe.getByRole('button', { name: 'Confirm block' }).click()
    await page
      .getByRole('log')
      .getByText(/^Block worker .*: done$/)
      .waitFor()

    await page.goto(`${stack.server.origin}/#/runs/${runId}/controls`)
    await page.getByRole('heading', { name: 'Limits' }).waitFor()
    await shoot(page, 'controls')

    await page.goto(`${stack.server.origin}/#/audit`)
    await page.getByRole('row', { name: /worker\.block/ }).waitFor()
    await shoot(page, 'audit')
    expect(await stack.problems(page)).toEqual([])
  }, 90_000)
})
