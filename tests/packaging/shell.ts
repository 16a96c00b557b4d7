// Commands run as a new user types them: in a shell, in a folder outside the
// repository, with none of the variables of the `npm test` that runs us.
import { spawn, type ChildProcess } from 'node:child_process'

/** The output of a finished command. */
export interface ShellResult {
  readonly code: number | null
  readonly output: string
}

/**
 * The environment of a fresh terminal: `npm test` sets `npm_config_*` (the
 * repository as npm's prefix, among others) and Vitest its own variables, and
 * an `npm install` or `vitest` in the new project must see none of them.
 */
export function userEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    const inherited = /^(npm_|VITEST|NODE_OPTIONS$|INIT_CWD$|TEST$|NODE_ENV$|FAUST_)/i.test(key)
    if (!inherited) env[key] = value
  }
  return { ...env, FAUST_LOG_LEVEL: 'warn', ...extra }
}

/** A command started by {@link startShell}. */
export interface StartedShell {
  readonly child: ChildProcess
  /** stdout and stderr so far, together. */
  output(): string
  /** Resolves once the output matches `pattern`; rejects past `timeoutMs`, or once the output ends without it. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>
}

/** Starts `command` in `sh -c`, in `cwd`; stdout and stderr are kept together. */
export function startShell(
  command: string,
  cwd: string,
  extra: Readonly<Record<string, string>> = {},
): StartedShell {
  const child = spawn('sh', ['-c', command], {
    cwd,
    env: userEnv(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output += chunk.toString()
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const waitFor = (pattern: RegExp, timeoutMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pattern.test(output)) return
        stop()
        resolve()
      }
      const fail = (why: string) => (): void => {
        stop()
        reject(new Error(`no ${String(pattern)} from \`${command}\`: ${why}. Output:\n${output}`))
      }
      const timer = setTimeout(fail(`not within ${String(timeoutMs)} ms`), timeoutMs)
      const ended = fail('it ended')
      // 'close': every process that held the output has ended, not only the shell.
      const stop = (): void => {
        clearTimeout(timer)
        child.stdout?.off('data', check)
        child.stderr?.off('data', check)
        child.off('close', ended)
      }
      child.stdout?.on('data', check)
      child.stderr?.on('data', check)
      child.once('close', ended)
      check()
    })
  return { child, output: () => output, waitFor }
}

/** Runs `command` to its end; rejects with its output when it fails or outlives `timeoutMs`. */
export async function shell(
  command: string,
  cwd: string,
  timeoutMs: number,
  extra: Readonly<Record<string, string>> = {},
): Promise<ShellResult> {
  const started = startShell(command, cwd, extra)
  const code = await exitOf(started.child, timeoutMs, command)
  const result = { code, output: started.output() }
  if (code !== 0) {
    throw new Error(`\`${command}\` in ${cwd} exited ${String(code)}:\n${result.output}`)
  }
  return result
}

/** The exit code; kills the command's whole process group when it runs past `timeoutMs`. */
async function exitOf(
  child: ChildProcess,
  timeoutMs: number,
  what: string,
): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      killGroup(child, 'SIGKILL')
      reject(new Error(`\`${what}\` took longer than ${String(timeoutMs)} ms`))
    }, timeoutMs)
  })
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
  try {
    return await Promise.race([exited, timedOut])
  } finally {
    clearTimeout(timer)
  }
}

/** Signals the command and everything it started (npx, node, the servers). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}
