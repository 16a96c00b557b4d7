import { runInNewContext } from 'node:vm'
import { FakeClock } from '@faust/testing'
import { startFakeMturk, type FakeMturk } from '@faust/testing/fakes'
import type { ProviderData } from '@faust/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mturkCrowdProvider } from './mturk-crowd-provider.js'
import { createMturkPlatform, identifyMturk } from './mturk-platform.js'

// The wrap script run in node:vm with a minimal window: what it reads from
// MTurk's URL, and the externalSubmit form it posts, replayed against the fake.

interface FakeElement {
  tag: string
  id?: string
  textContent?: string
  method?: string
  action?: string
  name?: string
  value?: string
  children: FakeElement[]
  submitted: boolean
  style: { cssText: string }
  setAttribute(name: string, value: string): void
  appendChild(child: FakeElement): void
  submit(): void
}

function element(tag: string): FakeElement {
  return {
    tag,
    children: [],
    submitted: false,
    style: { cssText: '' },
    setAttribute: () => undefined,
    appendChild(child) {
      this.children.push(child)
    },
    submit() {
      this.submitted = true
    },
  }
}

type Globals = Record<string, (...args: unknown[]) => unknown>

function loadPage(url: string): { globals: Globals; body: FakeElement } {
  const body = element('body')
  const window: Record<string, unknown> = { location: { search: new URL(url).search } }
  const document = {
    readyState: 'complete',
    body,
    createElement: element,
    addEventListener: () => undefined,
  }
  const script = createMturkPlatform({
    sandbox: true,
    endpoint: 'http://127.0.0.1:1',
  }).wrapCrowdSourceScript('unused')
  runInNewContext(script, { window, document, URLSearchParams })
  return { globals: window as Globals, body }
}

let fake: FakeMturk
let hitId: string
beforeEach(async () => {
  fake = await startFakeMturk({ clock: new FakeClock() })
  const platform = createMturkPlatform({
    sandbox: true,
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'S' },
  })
  await platform.publish(
    {
      runId: 'r',
      taskName: 't',
      title: 'T',
      description: 'D',
      keywords: [],
      rewardCents: 10,
      places: 1,
      estimatedMinutes: 1,
      maxMinutes: 5,
      pageUrl: 'https://faust.example.org/task/?lang=en',
      completionCode: 'C',
      blockedWorkerIds: [],
    },
    null,
  )
  hitId = String(fake.hits()[0]?.['HITId'])
})
afterEach(async () => {
  await fake.close()
})

describe('the MTurk wrap script', () => {
  it('registers with the ids MTurk put in the URL and hands in through externalSubmit after the stored submission', async () => {
    const { url, assignmentId } = fake.workers.accept(hitId, 'A1WORKER')
    expect(new URL(url).searchParams.get('lang')).toBe('en')
    const { globals, body } = loadPage(url)
    expect(globals['getWorkerName']?.()).toBe('A1WORKER')
    expect(globals['getAssignmentId']?.()).toBe(assignmentId)
    const registration = globals['getAgentRegistration']?.() as ProviderData
    expect(registration).toEqual({
      worker_name: 'A1WORKER',
      agent_registration_id: assignmentId,
      assignment_id: assignmentId,
      hit_id: hitId,
      provider_type: 'mturk',
    })
    expect(identifyMturk(registration)).toEqual({
      workerId: 'A1WORKER',
      attemptId: assignmentId,
      placeId: hitId,
    })
    expect(mturkCrowdProvider({ sandbox: true }).workerName(registration)).toBe('A1WORKER_sandbox')
    expect(mturkCrowdProvider({ sandbox: false }).workerName(registration)).toBe('A1WORKER')

    expect(globals['handleSubmitToProvider']?.({ answer: 42 })).toBe(true)
    const form = body.children.find((child) => child.tag === 'form')
    expect(form).toMatchObject({
      method: 'POST',
      action: `${fake.externalSubmitUrl}/mturk/externalSubmit`,
      submitted: true,
    })
    const fields: Record<string, string> = Object.fromEntries(
      (form?.children ?? []).map((input): [string, string] => [
        input.name ?? '',
        input.value ?? '',
      ]),
    )
    expect(fields).toEqual({ assignmentId, faust: 'submitted' })
    // What the browser would post: the fake's receiver accepts it and the assignment is Submitted.
    const response = await fetch(form?.action ?? '', {
      method: 'POST',
      body: new URLSearchParams(fields),
    })
    expect(response.status).toBe(200)
    expect(fake.assignments()[0]?.AssignmentStatus).toBe('Submitted')
  })

  it('is a preview while the HIT is not accepted: no ids, and a notice', () => {
    const { globals, body } = loadPage(fake.workers.previewUrl(hitId))
    expect(globals['getAssignmentId']?.()).toBeNull()
    expect(globals['getWorkerName']?.()).toBeNull()
    expect(body.children.map((child) => child.id)).toEqual(['faust-preview'])
    expect(identifyMturk(globals['getAgentRegistration']?.() as ProviderData)).toBeNull()
  })

  it('does not post anywhere when the page was not opened from MTurk', () => {
    const { globals, body } = loadPage(
      'https://faust.example.org/task/?assignmentId=A&hitId=H&workerId=W',
    )
    expect(globals['handleSubmitToProvider']?.({})).toBe(false)
    expect(body.children.map((child) => child.id)).toEqual(['faust-submit-failed'])
  })

  it('is refused by the fake when the form carries only the assignment id', async () => {
    const { assignmentId } = fake.workers.accept(hitId, 'W')
    const response = await fetch(`${fake.externalSubmitUrl}/mturk/externalSubmit`, {
      method: 'POST',
      body: new URLSearchParams({ assignmentId }),
    })
    expect(response.status).toBe(400)
    expect(fake.assignments()[0]?.AssignmentStatus).toBe('Accepted')
  })
})
