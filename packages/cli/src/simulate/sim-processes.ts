// The router and the backend of a simulation, each a child process of the
// built CLI (`faust router`, `faust run --router-url`), so that the chaos can
// SIGKILL and restart them. Loopback only; every child is killed when the
// simulation ends, and on the process's exit as a last resort.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bounded } from './bot-page.js'

/** The built CLI; both `src/simulate` and `dist/simulate` are two folders below the package. */
export const FAUST_BIN = fileURLToPath(new URL('../../bin/faust.js', import.meta.url))

/** Options of {@link SimProcesses}. */
export interface SimProcessesOptions {
  readonly taskPath: string
  readonly dataDir: string
  /** The site folder the router serves (`<dataDir>/sites/<task>`, where `faust run` prepares it). */
  readonly siteDir: string
  /** Turns on the backend's fault hook (FAUST_FAULT_HOOK, docs/reliability.md). */
  readonly faultHook: boolean
  readonly startMs: number
  /** Each child serves its metrics on a free port (`--metrics-port 0`), summed by `faust simulate --metrics-port`. */
  readonly metrics?: boolean | undefined
}

/** One child: its process, and a promise of its exit code (null when killed by a signal). */
export interface Child {
  readonly process: ChildProcess
  readonly exited: Promise<number | null>
  /** Whether it has printed a match of `line` (the backend's banner: its run and fault hook are set up). */
  readonly printed: (line: RegExp) => boolean
  /** The first match of `line` in what it printed first, if any. */
  readonly match: (line: RegExp) => RegExpExecArray | null
}

/** The line a child prints once its metrics endpoint listens. */
const METRICS_LINE = /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/

/** The last line of `faust run`'s banner, printed once the run (and its fault hook) is set up. */
const RUN_STARTED = /Ctrl-C (stops|pauses) the run/
/** What `faust run` prints once every unit is final: the run has ended, whatever comes after. */
export const RUN_FINISHED = /: run finished: /

const alive = new Set<ChildProcess>()
let exitHookInstalled = false

const killAll = (): void => {
  for (const child of alive) child.kill('SIGKILL')
}

/**
 * Kills what is still running when the process exits, and when it is told to
 * stop: a signal's default action ends Node without its `exit` event, which
 * would leave the router and the backend behind.
 */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', killAll)
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      killAll()
      process.exit(code)
    })
  }
}

/** The router and backend processes of one simulation. */
export class SimProcesses {
  readonly token = randomBytes(18).toString('base64url')
  readonly #options: SimProcessesOptions
  readonly #log: WriteStream
  #port = 0
  #router: Child | undefined
  #backend: Child | undefined
  routerStarts = 0
  backendStarts = 0
  /** Backends the chaos killed: their exit is not the run's end. */
  readonly killedBackends = new Set<Child>()

  constructor(options: SimProcessesOptions) {
    this.#options = options
    this.#log = createWriteStream(join(options.dataDir, 'simulate.log'), { flags: 'a' })
    installExitHook()
  }

  /** The router's address (the same port across restarts). */
  get routerUrl(): string {
    return `http://127.0.0.1:${String(this.#port)}`
  }

  get backend(): Child | undefined {
    return this.#backend
  }

  /** The current router's process id. */
  get routerPid(): number | undefined {
    return this.#router?.process.pid
  }

  /** Whether the current backend's run has started (its banner is printed). */
  get runStarted(): boolean {
    return this.#backend?.printed(RUN_STARTED) === true
  }

  /** The metrics endpoints of the router and backend running now (with {@link SimProcessesOptions.metrics}). */
  metricsUrls(): string[] {
    return [this.#router, this.#backend].flatMap((child) => {
      if (child?.process.exitCode !== null) return []
      const url = child.match(METRICS_LINE)?.[1]
      return url === undefined ? [] : [url]
    })
  }

  /** Starts the router (again on the same port) and waits until it listens. */
  async startRouter(): Promise<void> {
    const child = this.#spawn('router', [
      'router',
      ...['--host', '127.0.0.1', '--port', String(this.#port)],
      ...['--static', this.#options.siteDir, '--backend-token', this.token],
      ...['--upload-dir', join(this.#options.dataDir, 'router-uploads'), '--log-level', 'warn'],
      ...this.#metricsArgs(),
    ])
    this.#router = child
    this.routerStarts += 1
    const url = await bounded(
      Promise.race([
        listeningUrl(child.process),
        child.exited.then((code) => {
          throw new Error(
            `faust router exited (${String(code)}) before listening; see simulate.log`,
          )
        }),
      ]),
      { ms: this.#options.startMs, what: 'the router to listen' },
    )
    this.#port = Number(new URL(url).port)
  }

  /** Starts `faust run` against the router (a restart runs the same command again). */
  startBackend(): Child {
    const child = this.#spawn(
      'backend',
      [
        'run',
        this.#options.taskPath,
        ...['--data-dir', this.#options.dataDir, '--router-url', this.routerUrl],
        ...['--router-token', this.token, '--log-level', 'warn'],
        ...this.#metricsArgs(),
      ],
      this.#options.faultHook ? { FAUST_FAULT_HOOK: '1' } : {},
    )
    this.#backend = child
    this.backendStarts += 1
    return child
  }

  /** SIGKILLs the router; resolves once it is gone. */
  async killRouter(): Promise<void> {
    await killChild(this.#router)
  }

  /**
   * SIGKILLs the backend once its run has started, unless it has finished on
   * its own (then a restart would start a new run); false when it did not. A kill that lands as the run
   * ends shows as exit code 0, and counts as finished too.
   */
  async killBackendUnlessDone(): Promise<boolean> {
    const child = this.#backend
    // A backend still starting has no run to lose yet: the fault waits for one.
    if (child?.process.exitCode !== null || !child.printed(RUN_STARTED)) return false
    // A backend whose run has ended is shutting down: a restart would start a new run.
    if (child.printed(RUN_FINISHED)) return false
    this.killedBackends.add(child)
    await killChild(child)
    if (child.process.exitCode === 0 || child.printed(RUN_FINISHED)) {
      this.killedBackends.delete(child)
      return false
    }
    return true
  }

  /**
   * Sends the backend's fault hook its signal (SIGUSR2: a full disk for a few
   * seconds), once its run has started: before the hook is installed the
   * signal's default action would end the process.
   */
  diskFull(): boolean {
    const backend = this.#backend
    if (backend?.printed(RUN_STARTED) !== true) return false
    const child = backend.process
    if (child.exitCode !== null || child.signalCode !== null) return false
    return child.kill('SIGUSR2')
  }

  /** Kills both (SIGKILL) and closes the log. */
  async closeAll(): Promise<void> {
    await Promise.all([killChild(this.#backend), killChild(this.#router)])
    await new Promise<void>((resolve) => this.#log.end(resolve))
  }

  #metricsArgs(): string[] {
    return this.#options.metrics === true ? ['--metrics-port', '0'] : []
  }

  #spawn(name: string, args: readonly string[], env: Record<string, string> = {}): Child {
    const child = spawn(process.execPath, [FAUST_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, FAUST_HOST: '127.0.0.1' },
    })
    alive.add(child)
    const prefix = `[${name} ${String(child.pid)}] `
    let seen = ''
    const copy = (chunk: Buffer): void => {
      const text = chunk.toString('utf8')
      // Only the start matters to `printed`; a long run's output is not kept.
      if (seen.length < 10_000) seen += text
      for (const line of text.split('\n')) {
        if (line !== '') this.#log.write(`${prefix}${line}\n`)
      }
    }
    child.stdout?.on('data', copy)
    child.stderr?.on('data', copy)
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        alive.delete(child)
        this.#log.write(`${prefix}exited ${String(code ?? child.signalCode)}\n`)
        resolve(code)
      })
      child.once('error', () => {
        alive.delete(child)
        resolve(null)
      })
    })
    return {
      process: child,
      exited,
      printed: (line) => line.test(seen),
      match: (line) => line.exec(seen),
    }
  }
}

/** The URL `faust router` prints once it listens. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8')
      const match = /serving (http:\/\/[^\s/]+)\//.exec(text)
      if (match === null) return
      child.stderr?.off('data', onData)
      resolve(match[1] as string)
    }
    child.stderr?.on('data', onData)
  })
}

async function killChild(child: Child | undefined): Promise<void> {
  if (child === undefined) return
  const { process: proc } = child
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
  await child.exited
}
