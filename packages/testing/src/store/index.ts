// Backend stores for repository tests: real SQLite, in a file or in memory,
// opened fresh for each test, and the runs, workers and agents tests start from.

export {
  START_TIME,
  STORE_MODES,
  createdUnit,
  launchedRun,
  makeTempDir,
  removeTempDir,
  reservedAgent,
  useTestStore,
  workerId,
} from './store-fixture.js'
export type { LaunchedRun, ReservedAgent, StoreMode, TestStore } from './store-fixture.js'
