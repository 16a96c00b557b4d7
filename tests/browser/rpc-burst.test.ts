// Many remote procedure calls at once from a real page: a bare React page
// (pages/rpc-burst-page.tsx, bundled by esbuild) served by a real router, the
// procedures served by the real backend (`runTask`, a temporary SQLite
// folder). Real time; every wait is bounded and waits on an event (the one
// deliberate wait is the backend's 1 s call timeout, which is what is tested).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '@faust/protocol'
import { defineTask, runTask, silentLogger } from '@faust/backend'
import { openDatabase } from '@faust/backend/store'
import { startTestRouter } from '@faust/testing'
import { launchBrowser, PAGE_WAIT_MS, type TestBrowser } from './browser.js'
import { buildLivePageSite, PAGES_DIR } from './live-page-site.js'

/** Calls fired together, beside one failing call and one that times out. */
const CALLS = 20

/** What the page's `faustCall` settled with, as plain data. */
type Settled =
  | { readonly ok: unknown }
  | { readonly code: unknown; readonly remoteCode: unknown; readonly message: string }

let chrome: TestBrowser
let siteDir = ''

beforeAll(async () => {
  chrome = await launchBrowser()
  siteDir = await buildLivePageSite('faust-rpc-burst-', '19', join(PAGES_DIR, 'rpc-burst-page.tsx'))
}, 30_000)

afterAll(async () => {
  await chrome[Symbol.asyncDispose]()
  if (siteDir !== '') await rm(siteDir, { recursive: true, force: true })
})

describe(
  'remote procedures from a real page (real router and backend)',
  { timeout: 30_000 },
  () => {
    it(`answers ${String(CALLS)} calls fired at once each with its own result, beside an error and a timeout`, async () => {
      // Each call waits a different time, so the answers come back shuffled.
      const finished: number[] = []
      let inside = 0
      let mostInside = 0
      const task = defineTask<unknown>({
        name: 'rpc-burst',
        taskType: 'remote-procedure',
        page: 'dist',
        data: [{ id: 'only' }],
        remoteProcedures: {
          square: async ({ n }, call) => {
            if (typeof n !== 'number') throw new Error('square needs { n: number }')
            inside += 1
            mostInside = Math.max(mostInside, inside)
            try {
              await delay(((n * 7) % CALLS) * 5, undefined, { signal: call.signal })
            } finally {
              inside -= 1
            }
            finished.push(n)
            return { n, square: n * n, agent: call.agentId }
          },
          fail: ({ n }) => {
            throw new Error(`no luck for ${String(n)}`)
          },
          // Answers only once its signal is aborted, i.e. after the timeout.
          stall: (_args, call) =>
            new Promise((resolve) => {
              call.signal.addEventListener('abort', () => resolve(null))
            }),
        },
        remoteProcedureTimeoutSeconds: 1,
        remoteProcedureMaxInFlight: CALLS + 2,
      })

      const root = await mkdtemp(join(tmpdir(), 'faust-rpc-burst-data-'))
      await using t = await startTestRouter({ clock: systemClock, staticDir: siteDir })
      const store = await openDatabase({ dataDir: root, clock: systemClock })
      const run = await runTask({
        task,
        baseDir: root,
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
      const context = await chrome.newContext()
      try {
        const page = await context.newPage()
        const query = new URLSearchParams({
          worker_id: 'w1',
          assignment_id: run.units[0]!.assignmentId,
        })
        await page.goto(`${t.router.url}/?${query.toString()}`)
        const main = await page.waitForSelector(
          'main#rpc-burst[data-ready="true"][data-connection="connected"]',
          { state: 'attached', timeout: PAGE_WAIT_MS },
        )
        const agentId = await main.getAttribute('data-agent')
        expect(agentId).toMatch(/\S/)

        const started = performance.now()
        const settled = await page.evaluate(async (count) => {
          // The page's global (see pages/rpc-burst-page.tsx).
          const call = (
            globalThis as { faustCall?: (name: string, args: unknown) => Promise<unknown> }
          ).faustCall
          if (call === undefined) throw new Error('window.faustCall is not set')
          const settle = (promise: Promise<unknown>): Promise<Settled> =>
            promise.then(
              (ok) => ({ ok }),
              (error: { code?: unknown; remoteCode?: unknown; message?: unknown }) => ({
                code: error.code,
                remoteCode: error.remoteCode,
                message: String(error.message),
              }),
            )
          // Every call leaves before the first answer can come back.
          const squares = Array.from({ length: count }, (_, n) => settle(call('square', { n })))
          const failing = settle(call('fail', { n: 99 }))
          const stalling = settle(call('stall', {}))
          return {
            squares: await Promise.all(squares),
            failing: await failing,
            stalling: await stalling,
          }
        }, CALLS)
        const elapsedMs = performance.now() - started

        expect(settled.squares).toEqual(
          Array.from({ length: CALLS }, (_, n) => ({ ok: { n, square: n * n, agent: agentId } })),
        )
        expect(settled.failing).toEqual({
          code: 'REMOTE',
          remoteCode: 'FAILED',
          message: "the remote procedure 'fail' failed: no luck for 99",
        })
        expect(settled.stalling).toEqual({
          code: 'REMOTE',
          remoteCode: 'TIMEOUT',
          message: "the remote procedure 'stall' did not answer within 1 s",
        })
        // The calls were served together, and answered out of order.
        expect(mostInside).toBeGreaterThan(1)
        expect(finished).toHaveLength(CALLS)
        expect(finished).not.toEqual([...finished].sort((a, b) => a - b))
        // The timeout's answer is the last: the burst took the backend's 1 s, and not much more.
        expect(elapsedMs).toBeGreaterThanOrEqual(1000)
        expect(elapsedMs).toBeLessThan(PAGE_WAIT_MS)

        // Every call is stored with its own answer.
        const agent = (await store.agents.listForRun(run.runId))[0]!
        const stored = await store.remoteCalls.listForAgent({ kind: 'agent', id: agent.id })
        expect(stored).toHaveLength(CALLS + 2)
        for (const call of stored.filter((row) => row.target === 'square')) {
          const { n } = JSON.parse(call.argsJson) as { n: number }
          expect(JSON.parse(call.responseJson ?? 'null')).toEqual({
            n,
            square: n * n,
            agent: agentId,
          })
          expect(call.errorMessage).toBeNull()
        }
        expect(
          stored
            .filter((row) => row.target !== 'square')
            .map((row) => [row.target, row.errorMessage]),
        ).toEqual(
          expect.arrayContaining([
            ['fail', "the remote procedure 'fail' failed: no luck for 99"],
            ['stall', "the remote procedure 'stall' did not answer within 1 s"],
          ]),
        )
      } finally {
        await context.close()
        await run.stop()
        await store.close()
        await rm(root, { recursive: true, force: true })
      }
    })
  },
)
