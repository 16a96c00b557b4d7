import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createProlificPlatform } from '@faust/backend'
import { startFakeProlific } from '@faust/testing/fakes'
import { launchBrowser } from './browser.js'

// The Prolific wrap script in a real page: Prolific (the fake) opens the study
// URL with the participant's ids, the page registers with them, and after the
// stored submission the script sends the browser to the completion URL with
// the code, which the fake receives as Prolific would.

/** Serves a page that loads the wrap script, as the router serves a task page. */
async function servePage(script: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/wrap_crowd_source.js') === true) {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script)
      return
    }
    response
      .writeHead(200, { 'Content-Type': 'text/html' })
      .end('<!doctype html><html><body><script src="/wrap_crowd_source.js"></script></body></html>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/task/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('Prolific wrap_crowd_source.js in Chromium', () => {
  it('registers with the URL ids and redirects to the completion URL with the code', async () => {
    const fake = await startFakeProlific()
    const platform = createProlificPlatform({
      apiUrl: fake.url,
      token: fake.token,
      completionUrl: fake.completionUrl,
    })
    const site = await servePage(platform.wrapCrowdSourceScript('C0DE-42'))
    try {
      const listing = await platform.publish(
        {
          runId: 'run-b',
          taskName: 't',
          title: 'Title',
          description: 'Description',
          keywords: [],
          rewardCents: 100,
          places: 1,
          estimatedMinutes: 1,
          maxMinutes: 5,
          pageUrl: site.url,
          completionCode: 'C0DE-42',
          blockedWorkerIds: [],
        },
        null,
      )
      const place = fake.participants.take(listing.listingId, { pid: 'pid-browser' })
      await using chrome = await launchBrowser()
      const context = await chrome.newContext()
      // The participant's Prolific login, which tells the completion page who finished.
      await context.addCookies([
        { name: 'fake_prolific_session', value: place.sessionId, url: fake.url },
      ])
      const page = await context.newPage()
      await page.goto(place.url)
      const registration = await page.evaluate(() =>
        (globalThis as unknown as { getAgentRegistration(): unknown }).getAgentRegistration(),
      )
      expect(registration).toEqual({
        worker_name: 'pid-browser',
        agent_registration_id: place.sessionId,
        assignment_id: place.sessionId,
        study_id: listing.listingId,
        prolific_study_id: listing.listingId,
        provider_type: 'prolific',
      })
      expect(platform.identify(registration as Parameters<typeof platform.identify>[0])).toEqual({
        workerId: 'pid-browser',
        attemptId: place.sessionId,
        placeId: listing.listingId,
      })
      await Promise.all([
        page.waitForURL(`${fake.completionUrl}?cc=C0DE-42`),
        page.evaluate(() =>
          (globalThis as unknown as { handleSubmitToProvider(): void }).handleSubmitToProvider(),
        ),
      ])
      expect(fake.submissions()[0]).toMatchObject({
        status: 'AWAITING REVIEW',
        entered_code: 'C0DE-42',
      })

      // Opened outside Prolific: the page says so.
      await page.goto(site.url)
      expect(await page.textContent('#faust-provider-missing')).toMatch(/opened from Prolific/)
    } finally {
      await site.close()
      await fake.close()
    }
  })
})
