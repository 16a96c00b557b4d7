// Watching a run in the console (Chromium, real stack): bots register,
// connect, drop their socket, come back and submit while the page is open;
// the runs view and the agents table follow through the event stream (never
// a reload), and each agent's timeline shows what happened, in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { defineTask } from '@faust/backend'
import { launchBrowser, type TestBrowser } from './browser.js'
import { startConsoleStack } from './console-stack.js'

const task = defineTask({
  name: 'console-live',
  page: 'dist',
  data: [{ text: 'one' }, { text: 'two' }, { text: 'three' }],
})

let chrome: TestBrowser

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

/** Marks the page's window: a reload would lose the mark. */
async function markWindow(page: Page): Promise<() => Promise<boolean>> {
  // Strings: the tests are typed without the DOM library.
  await page.evaluate('window.faustMark = 1')
  return () => page.evaluate<boolean>('window.faustMark === 1')
}

async function eventKinds(page: Page): Promise<string[]> {
  const items = await page.locator('ol.timeline > li').all()
  return Promise.all(items.map(async (item) => (await item.getAttribute('data-kind')) ?? ''))
}

describe('watching a run in the console', () => {
  it('follows bots that register, reload and submit, through the stream (no reload), and shows each timeline', async () => {
    await using stack = await startConsoleStack(chrome, task)
    const { h } = stack
    const page = await stack.open()
    const stillSamePage = await markWindow(page)
    const runCard = page.getByRole('article', { name: /console-live/ })
    await runCard.getByText('0 of 3 units completed').waitFor()
    expect(await runCard.innerText()).toMatch(/Live/)
    expect(await runCard.getByRole('figure').count()).toBe(1)

    const alice = await h.worker('alice', { live: true })
    await alice.register()
    const bob = await h.worker('bob', { live: true })
    await bob.register()
    await alice.submit({ label: 'positive' })
    await runCard.getByText('1 of 3 units completed').waitFor()

    // Bob's tab closes, then he comes back (same assignment: a reload) and submits.
    bob.stop()
    const bobAgain = await h.worker('bob', { live: true })
    await bobAgain.register()
    await bobAgain.submit({ label: 'negative' })
    await runCard.getByText('2 of 3 units completed').waitFor()
    expect(await stillSamePage()).toBe(true)

    await runCard.getByRole('link', { name: 'Agents & rooms' }).click()
    const table = page.getByRole('table')
    await table.getByRole('row', { name: /alice_sandbox/ }).waitFor()
    await table.getByRole('row', { name: /bob_sandbox/ }).waitFor()
    await expect
      .poll(() => table.getByRole('row', { name: /alice_sandbox/ }).innerText())
      .toMatch(/completed/)

    await table.getByRole('link', { name: /alice_sandbox/ }).click()
    await page.getByRole('heading', { name: /Timeline/ }).waitFor()
    await expect
      .poll(() => eventKinds(page))
      .toEqual(expect.arrayContaining(['registered', 'submitted']))
    const kinds = await eventKinds(page)
    expect(kinds[0]).toBe('registered')
    expect(kinds.indexOf('submitted')).toBeGreaterThan(0)
    // Each event says what it is in words, beside its icon.
    expect(await page.locator('ol.timeline').innerText()).toMatch(/Registered[\s\S]*Submitted/)

    expect(await stillSamePage()).toBe(true)
    expect(await stack.problems(page)).toEqual([])
  }, 60_000)

  it('shows connects and disconnects in a timeline', async () => {
    await using stack = await startConsoleStack(chrome, task)
    // Waiting for the "metrics" part of issue 14 (router.observe); runs once merged.
    const { h } = stack
    const bob = await h.worker('bob', { live: true })
    await bob.register()
    const agentId = bob.agentId
    bob.stop()
    const bobAgain = await h.worker('bob', { live: true })
    await bobAgain.register()
    await bobAgain.submit({ label: 'negative' })
    const page = await stack.open(`#/runs/${h.run.runId}/agents/${agentId ?? ''}`)
    await page.getByRole('heading', { name: /Timeline/ }).waitFor()
    await expect
      .poll(() => eventKinds(page))
      .toEqual(expect.arrayContaining(['registered', 'connected', 'disconnected', 'submitted']))
    const kinds = await eventKinds(page)
    expect(kinds.indexOf('connected')).toBeLessThan(kinds.indexOf('disconnected'))
    expect(kinds.lastIndexOf('connected')).toBeGreaterThan(kinds.indexOf('disconnected'))
    expect(await page.locator('ol.timeline').innerText()).toMatch(
      /Connected[\s\S]*Disconnected[\s\S]*Connected/,
    )
  }, 60_000)
})
