// The `faust` CLI run as a user runs it: the built bin script in a child
// process, with the fixture task and the calls a worker's page makes. It
// lives here, not in @faust/testing, because it needs this repository's
// build and fixtures.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { within } from '@faust/testing'

// The CLI is tested as a user runs it: the built bin script in a child process.
const BIN = fileURLToPath(new URL('../../packages/cli/bin/faust.js', import.meta.url))

/** The two-item fixture task (`task.mjs`, `page/`, `data.jsonl`) and its TypeScript twin. */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/cli-task/', import.meta.url))

/** The built backend, for task files written to temporary folders outside the workspace. */
export const BACKEND_URL = pathToFileURL(
  fileURLToPath(new URL('../../packages/backend/dist/index.js', import.meta.url)),
).href

/** How long any one CLI process may take before the test fails instead of hanging. */
const EXIT_TIMEOUT_MS = 12_000

/**
 * For tests that start several CLI processes one after another: each takes
 * most of a second to start, more on a loaded machine.
 */
export const SEVERAL_PROCESSES = { timeout: 60_000 }

/** A finished CLI process. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** A running CLI process with its output so far. */
export interface CliProcess {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves once stdout (or stderr) matches, with the match. */
  waitFor(pattern: RegExp, what: string, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>
  /** Resolves when the process exits. */
  exited(): Promise<CliResult>
}

/** CLI processes still running, killed when the test process exits. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * A wait that failed ends its test: the process is killed with it, or it
 * outlived the test (and the whole run) holding ports and files.
 */
function killOnTimeout<TValue>(child: ChildProcess, wait: Promise<TValue>): Promise<TValue> {
  return wait.catch((error: unknown) => {
    child.kill('SIGKILL')
    throw error
  })
}

/** Starts `faust <args>`. Logs stay at `warn` so stderr only shows what matters. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, FAUST_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  child.once('exit', () => running.delete(child))
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = once(child, 'exit').then(([code]) => code as number | null)
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern, what, stream = 'stdout') =>
      killOnTimeout(
        child,
        within(
          new Promise<RegExpMatchArray>((resolve, reject) => {
            const check = (): void => {
              const match = pattern.exec(stream === 'stdout' ? stdout : stderr)
              if (match !== null) resolve(match)
            }
            child[stream].on('data', check)
            void exit.then(() => {
              check()
              reject(new Error(`the CLI exited before ${what}; stderr: ${stderr}`))
            })
            check()
          }),
          EXIT_TIMEOUT_MS,
          what,
        ),
      ),
    exited: async () => {
      const code = await killOnTimeout(child, within(exit, EXIT_TIMEOUT_MS, 'the CLI to exit'))
      // `exit` can come before the last output: wait for the pipes to close.
      if (child.stdout.readable) await once(child.stdout, 'close')
      if (child.stderr.readable) await once(child.stderr, 'close')
      return { code, stdout, stderr }
    },
  }
}

/** Runs `faust <args>` to the end. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return startCli(args, env).exited()
}

/** A temporary folder, removed on dispose. */
export async function tempDir(
  prefix: string,
): Promise<AsyncDisposable & { readonly path: string }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return {
    path,
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  }
}

/** A worker link `faust run` printed: the page address and the ids in it. */
export interface WorkerLink {
  readonly url: string
  readonly base: string
  readonly workerId: string
  readonly assignmentId: string
}

/** Waits for the `faust run` banner and returns its worker links. */
export async function workerLinks(cli: CliProcess): Promise<WorkerLink[]> {
  await cli.waitFor(/Ctrl-C pauses the run/, 'the worker links')
  return [
    ...cli.stdout().matchAll(/(http:\/\/[^/\s]+)\/\?worker_id=([\w-]+)&assignment_id=(\w+)/g),
  ].map(([url, base, workerId, assignmentId]) => ({
    url: url,
    base: base!,
    workerId: workerId!,
    assignmentId: assignmentId!,
  }))
}

/** What `POST /request_agent` answered. */
export interface AgentDetails {
  readonly agent_id: string | null
  readonly init_task_data: unknown
  readonly failure_reason: string | null
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  })
  return response.json()
}

/** Registers the link's worker as the mock provider's page script does. */
export async function register(link: WorkerLink): Promise<AgentDetails> {
  const answer = (await postJson(`${link.base}/request_agent`, {
    provider_data: {
      worker_name: link.workerId,
      agent_registration_id: `${link.assignmentId}-${link.workerId}`,
    },
  })) as { data: AgentDetails }
  return answer.data
}

/** Submits a unit's answer as the page does. */
export async function submit(base: string, agentId: string, finalData: unknown): Promise<unknown> {
  return postJson(`${base}/submit_task`, { USED_AGENT_ID: agentId, final_data: finalData })
}

/**
 * Runs the fixture task in `dataDir` to the end: every link's worker registers
 * and submits `answer(index)`. Returns the run's output.
 */
export async function completeFixtureRun(
  dataDir: string,
  answer: (index: number) => unknown,
): Promise<CliResult & { readonly links: WorkerLink[] }> {
  const cli = startCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', dataDir])
  const links = await workerLinks(cli)
  for (const [index, link] of links.entries()) {
    const details = await register(link)
    await submit(link.base, details.agent_id!, answer(index))
  }
  return { ...(await cli.exited()), links }
}

/** Starts `faust router` on a free port with this token; returns it and its address. */
export async function startRouterCli(token: string): Promise<{ cli: CliProcess; url: string }> {
  const cli = startCli(['router', '--port', '0', '--backend-token', token])
  const [, url] = await cli.waitFor(/serving (http:\/\/\S+?)\/ /, 'the router to start', 'stderr')
  return { cli, url: url! }
}

/** A port that was free a moment ago, for a test of `--port <n>` (other tests use 0). */
export async function freePort(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return String(port)
}
