// The backend under test for `npm run bench:live`: a concurrent task of
// `FAUST_BENCH_PAIRS` two-worker assignments whose run function relays every
// message to the partner (the chat example's loop, without its limits),
// registering into a real SQLite file in a temporary folder.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineTask, runTask } from '@faust/backend'
import { openDatabase } from '@faust/backend/store'
import { serveParent } from './parent-link.js'

const env = process.env
const pairs = Number(env['FAUST_BENCH_PAIRS'] ?? '500')
const dataDir = await mkdtemp(join(tmpdir(), 'faust-bench-live-'))
const store = await openDatabase({ dataDir })

/**
 * Relays `agent`'s messages to `partner` until `agent` says it is done.
 *
 * @param {import('@faust/backend').LiveAgent} agent
 * @param {import('@faust/backend').LiveAgent} partner
 */
async function relay(agent, partner) {
  for (;;) {
    const update = await agent.receive({ timeoutSeconds: 120 })
    if (update['done'] === true) return
    await partner.observe({ text: update['text'], sent_at: update['sent_at'] })
  }
}

const task = defineTask({
  name: 'bench-live-pairs',
  taskType: 'concurrent',
  page: 'unused',
  data: Array.from({ length: pairs }, (_, index) => ({ pair: index })),
  unitsPerAssignment: 2,
  waitingRoomSeconds: 600,
  submissionTimeoutSeconds: 600,
  run: async ({ agents }) => {
    const [first, second] = agents
    if (first === undefined || second === undefined) throw new Error('a pair needs two agents')
    await Promise.all([relay(first, second), relay(second, first)])
  },
})
const run = await runTask({
  task,
  baseDir: dataDir,
  store,
  router: {
    socketUrl: env['FAUST_BENCH_SOCKET_URL'] ?? '',
    httpUrl: env['FAUST_BENCH_HTTP_URL'] ?? '',
    token: env['FAUST_BENCH_TOKEN'] ?? '',
  },
})

serveParent(
  {
    close: async () => {
      await run.stop()
      await store.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  },
  { runId: run.runId, pairs },
)
