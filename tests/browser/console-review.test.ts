// The console's review queue in Chromium against the real stack: bots submit,
// the operator approves, rejects, soft-rejects and pays a bonus through the
// buttons (and the keys), and the result shows in `faust results` (the built
// CLI on the same data folder) and in the console's audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { defineTask } from '@faust/backend'
import { runCli } from '../support/cli-process.js'
import { launchBrowser, type TestBrowser } from './browser.js'
import { startConsoleStack, type ConsoleStack } from './console-stack.js'

const task = defineTask({
  name: 'console-review',
  page: 'dist',
  data: [{ text: 'great phone' }, { text: 'broken box' }, { text: 'fine' }, { text: 'meh' }],
})

let chrome: TestBrowser

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

/** Each bot registers and submits; returns the stack with every submission stored. */
async function submitted(names: readonly string[]): Promise<ConsoleStack> {
  const stack = await startConsoleStack(chrome, task)
  for (const name of names) {
    const bot = await stack.h.worker(name)
    await bot.register()
    await bot.submit({ label: 'positive', comment: `${name} thinks it is fine.` })
  }
  return stack
}

function card(page: Page, worker: string): Locator {
  return page.getByRole('article', { name: new RegExp(`by ${worker}_sandbox`) })
}

function outcomes(page: Page): Locator {
  return page.getByRole('log')
}

interface ResultLine {
  readonly workerName: string
  readonly reviewStatus: string | null
  readonly reviewReason: string | null
  readonly bonusCents: number
}

async function faustResults(stack: ConsoleStack): Promise<ResultLine[]> {
  const result = await runCli(['results', task.name, '--data-dir', stack.h.store.dataDir])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine)
}

describe('the console review queue', () => {
  it('approves, rejects and pays a bonus through the buttons; faust results and the audit log show it', async () => {
    await using stack = await submitted(['alice', 'bob', 'carol'])
    const page = await stack.open(`#/runs/${stack.h.run.runId}/review`)
    await expect.poll(() => page.getByRole('article').count()).toBe(3)

    await card(page, 'alice').getByRole('button', { name: 'Approve', exact: true }).click()
    await outcomes(page)
      .getByText(/^Approve .*: done$/)
      .waitFor()

    const bob = card(page, 'bob')
    await bob.getByRole('button', { name: 'Reject', exact: true }).click()
    await bob.getByLabel('Reason').fill('answered at random')
    await bob.getByRole('button', { name: 'Send rejection' }).click()
    await outcomes(page)
      .getByText(/^Reject .*: done$/)
      .waitFor()

    const carol = card(page, 'carol')
    await carol.getByRole('button', { name: 'Pay bonus', exact: true }).click()
    await carol.getByLabel('Amount in dollars').fill('1.50')
    await carol.getByLabel('Reason').fill('careful work')
    await carol.getByRole('button', { name: 'Send bonus' }).click()
    await outcomes(page)
      .getByText(/^Pay bonus .*: done$/)
      .waitFor()

    // Reviewed units leave the pending filter, pushed by the stream (no reload).
    await expect.poll(() => page.getByRole('article').count()).toBe(1)

    // The same approval again: nothing is sent twice.
    await page.getByLabel('Status').selectOption('all')
    await card(page, 'alice').getByRole('button', { name: 'Approve', exact: true }).click()
    await outcomes(page)
      .getByText(/^Approve .*: already done$/)
      .waitFor()

    const results = await faustResults(stack)
    const byWorker = new Map(results.map((r) => [r.workerName, r]))
    expect(byWorker.get('alice_sandbox')).toMatchObject({ reviewStatus: 'accepted' })
    expect(byWorker.get('bob_sandbox')).toMatchObject({
      reviewStatus: 'rejected',
      reviewReason: 'answered at random',
    })
    expect(byWorker.get('carol_sandbox')).toMatchObject({ bonusCents: 150 })

    await page.getByRole('link', { name: 'Audit log' }).last().click()
    const rows = page.getByRole('row')
    await rows.filter({ hasText: 'review.bonus' }).waitFor()
    await expect.poll(() => rows.filter({ hasText: 'review.approve' }).count()).toBe(2)
    expect(await rows.filter({ hasText: 'review.reject' }).innerText()).toMatch(
      /console.*done.*answered at random/s,
    )
    expect(await rows.filter({ hasText: 'review.approve' }).last().innerText()).toMatch(
      /console.*done/s,
    )
    expect(await rows.filter({ hasText: 'review.approve' }).first().innerText()).toMatch(
      /already done/,
    )
  }, 60_000)

  it('works from the keyboard, ignores keys typed in a field, and bulk-approves the filter after a confirmation', async () => {
    await using stack = await submitted(['dana', 'eve', 'finn', 'gus'])
    const page = await stack.open(`#/runs/${stack.h.run.runId}/review`)
    await expect.poll(() => page.getByRole('article').count()).toBe(4)
    await page.getByText('Keys:').waitFor()

    // Typing "a" in the worker filter filters; it approves nothing.
    await page.getByLabel('Worker').fill('dana_sandbox')
    await expect.poll(() => page.getByRole('article').count()).toBe(1)
    await page.getByLabel('Worker').press('a')
    await page.getByLabel('Worker').fill('')
    await expect.poll(() => page.getByRole('article').count()).toBe(4)
    expect(await outcomes(page).innerText()).toContain('Nothing done yet')

    // j moves to the second card; s soft-rejects it.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('j')
    const second = page.getByRole('article').nth(1)
    await expect.poll(() => second.getAttribute('aria-current')).toBe('true')
    const secondWorker = /by (\S+)/.exec(await second.getByRole('heading').innerText())?.[1]
    await page.keyboard.press('s')
    await outcomes(page)
      .getByText(/^Soft-reject .*: done$/)
      .waitFor()
    await expect.poll(() => page.getByRole('article').count()).toBe(3)

    // r opens the rejection form of the selected card; Escape closes it.
    await page.keyboard.press('r')
    const reason = page.getByLabel('Reason')
    await reason.waitFor()
    await reason.press('Escape')
    await expect.poll(() => reason.count()).toBe(0)

    await page.getByRole('button', { name: 'Approve all shown' }).click()
    const confirm = page.getByRole('alertdialog')
    expect(await confirm.innerText()).toContain('Approve all 3 submissions shown?')
    await confirm.getByRole('button', { name: 'Yes, approve 3' }).click()
    await expect
      .poll(() =>
        outcomes(page)
          .getByText(/^Approve all shown: .*: done$/)
          .count(),
      )
      .toBe(3)
    await page.getByText('No submission matches this filter.').waitFor()

    const results = await faustResults(stack)
    expect(results.map((r) => [r.workerName, r.reviewStatus]).sort()).toEqual(
      ['dana_sandbox', 'eve_sandbox', 'finn_sandbox', 'gus_sandbox']
        .map((w) => [w, w === secondWorker ? 'soft_rejected' : 'accepted'])
        .sort(),
    )
  }, 60_000)
})
