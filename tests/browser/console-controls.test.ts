// Changing a live run from the console (Chromium, real stack): pausing
// launching turns new workers away until it resumes, and a new
// maxConcurrentUnits takes effect at once. The run's in-process handle
// applies the changes (`TaskRunHandle.change`, the "control" part of issue 14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { FailureReason } from '@faust/protocol'
import { defineTask, type TaskDefinition, type TaskRunHandle } from '@faust/backend'
import { launchBrowser, type TestBrowser } from './browser.js'
import { startConsoleStack, type ConsoleStack } from './console-stack.js'

let chrome: TestBrowser

beforeAll(async () => {
  chrome = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
})

async function controlled<TData>(task: TaskDefinition<TData>): Promise<ConsoleStack> {
  let handle: TaskRunHandle | null = null
  const stack = await startConsoleStack(chrome, task, {
    // As beside `faust run`: the served run's changes go to its handle directly.
    changeRun: async ({ change, actor }) => {
      if (handle === null) throw new Error('the run has not started')
      return handle.change(change, actor)
    },
  })
  handle = stack.h.run
  return stack
}

async function outcome(page: Page, text: RegExp): Promise<void> {
  await page.getByRole('log').getByText(text).waitFor()
}

describe('changing a live run from the console', () => {
  it('pauses launching, then a new worker is refused; resumes, then one is taken', async () => {
    await using stack = await controlled(
      defineTask({ name: 'console-pause', page: 'dist', data: [{ n: 1 }, { n: 2 }, { n: 3 }] }),
    )
    const page = await stack.open(`#/runs/${stack.h.run.runId}/controls`)
    expect(await (await stack.h.worker('alice')).register()).toMatchObject({ accepted: true })

    await page.getByRole('button', { name: 'Pause launching' }).click()
    await outcome(page, /^Pause launching: applied to the live run: done$/)
    await page.getByText('Launching paused').first().waitFor()
    expect(await (await stack.h.worker('bob')).register()).toMatchObject({
      accepted: false,
      reason: FailureReason.RUN_PAUSED,
    })

    await page.getByRole('button', { name: 'Resume launching' }).click()
    await outcome(page, /^Resume launching: applied to the live run: done$/)
    expect(await (await stack.h.worker('carol')).register()).toMatchObject({ accepted: true })

    await page.getByRole('link', { name: 'Audit log' }).last().click()
    await page.getByRole('row').filter({ hasText: 'run.resume' }).waitFor()
    expect(await page.getByRole('row').filter({ hasText: 'run.pause' }).innerText()).toMatch(
      /console.*done/s,
    )
  }, 60_000)

  it('raises maxConcurrentUnits live: a worker refused for want of a unit is then taken', async () => {
    await using stack = await controlled(
      defineTask({
        name: 'console-limit',
        page: 'dist',
        maxConcurrentUnits: 1,
        data: [{ n: 1 }, { n: 2 }, { n: 3 }],
      }),
    )
    const page = await stack.open(`#/runs/${stack.h.run.runId}/controls`)
    expect(await (await stack.h.worker('alice')).register()).toMatchObject({ accepted: true })
    expect(await (await stack.h.worker('bob')).register()).toMatchObject({ accepted: false })

    const field = page.getByLabel(/Max concurrent units/)
    expect(await field.inputValue()).toBe('1')
    await field.fill('3')
    await page.getByRole('button', { name: 'Set max concurrent units' }).click()
    await outcome(page, /^Set maxConcurrentUnits to 3: applied to the live run: done$/)
    await page.getByText('Now: 3').waitFor()

    const bobAgain = await stack.h.worker('bob', { assignmentId: 'assignment-bob-2' })
    expect(await bobAgain.register()).toMatchObject({ accepted: true })
  }, 60_000)
})
