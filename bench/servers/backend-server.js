// The backend under test (backend and churn benchmarks): a static task with
// many units, served through the router child, registering into a real SQLite
// file in a temporary folder; reports its per-agent memory (`run.stats()`).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineTask, runTask } from '@faust/backend'
import { openDatabase } from '@faust/backend/store'
import { serveParent } from './parent-link.js'

const env = process.env
const units = Number(env['FAUST_BENCH_UNITS'] ?? '20000')
const dataDir = await mkdtemp(join(tmpdir(), 'faust-bench-backend-'))
const store = await openDatabase({ dataDir })
const task = defineTask({
  name: 'bench-registrations',
  page: 'unused',
  data: Array.from({ length: units }, (_, index) => ({ index })),
  // A unit per worker is what the benchmark checks: nobody may get two.
  maximumUnitsPerWorker: 1,
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
    // Every agent must hold a different unit, and every unit at most one agent.
    verify: async () => {
      const agents = await store.agents.listForRun(run.runId)
      return {
        agents: agents.length,
        distinctUnits: new Set(agents.map((agent) => agent.unitId)).size,
        distinctWorkers: new Set(agents.map((agent) => agent.workerId)).size,
      }
    },
    stats: () => run.stats(),
    close: async () => {
      await run.stop()
      await store.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  },
  { runId: run.runId, units },
)
