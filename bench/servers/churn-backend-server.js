// The backend of the churn benchmark: a static task with one unit per agent,
// served through the router child into a real SQLite file; reports the run's
// per-agent memory (`run.stats()`) beside its RSS.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineTask, openDatabase, runTask } from '@faust/backend'
import { serveParent } from './parent-link.js'

const env = process.env
const units = Number(env['FAUST_BENCH_UNITS'] ?? '100000')
const dataDir = await mkdtemp(join(tmpdir(), 'faust-bench-churn-'))
const store = await openDatabase({ dataDir })
const task = defineTask({
  name: 'bench-churn',
  page: 'unused',
  data: Array.from({ length: units }, (_, index) => ({ index })),
  // Launched a thousand at a time: launching every unit in one statement
  // passes one SQL variable per unit, over SQLite's limit (32,766) past
  // ~32k units (a known issue of the launcher, not of this benchmark).
  maxConcurrentUnits: 1000,
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
    stats: () => run.stats(),
    close: async () => {
      await run.stop()
      await store.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  },
  { runId: run.runId, units },
)
