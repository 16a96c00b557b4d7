// The `faust` CLI run as a user runs it: the built bin script in a child
// process, with the fixture task and the calls a worker's page makes.

export {
  BACKEND_URL,
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  completeFixtureRun,
  freePort,
  register,
  runCli,
  startCli,
  startRouterCli,
  submit,
  tempDir,
  workerLinks,
} from './cli-process.js'
export type { AgentDetails, CliProcess, CliResult, WorkerLink } from './cli-process.js'
