import { describe, expect, it } from 'vitest'
import { example, failedChecks, simulate } from './simulate-process.js'

// Issue 11's chaos: router and backend SIGKILLed and restarted at random
// moments, sockets dropped, pages reloaded, slow pages, duplicate submits and
// a full disk, all seeded. Every check must still hold. These pass only with
// run resume, held submission replies (stored_acks) and client retries with
// idempotency keys; the summary names each check that breaks.
const CHAOS = { timeout: 240_000 }

describe('faust simulate --chaos all', () => {
  it.each([
    ['static-form', '8'],
    ['chat', '8'],
  ])('keeps every check of the %s example under every fault', CHAOS, async (name, workers) => {
    const result = await simulate(
      [example(name), '--workers', workers, '--chaos', 'all', '--seed', '1', '--time-limit', '120'],
      200_000,
    )
    expect(failedChecks(result.stdout)).toEqual([])
    // Each process fault happened at least once while the run was under way.
    for (const kind of ['router', 'backend', 'disk', 'sockets']) {
      expect(result.stdout).toMatch(new RegExp(`faults: .*\\b${kind} \\d+`))
    }
    expect(result.code).toBe(0)
  })
})
