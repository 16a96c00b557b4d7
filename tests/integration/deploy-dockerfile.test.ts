// The router's Dockerfile (docs/deploy.md), checked against the repository
// and the built CLI: its stages, what the build stage installs and builds,
// the user, port, environment, command and health check of the image. Then
// the image's command and health check run for real outside Docker (the
// built CLI with the image's environment, folders and port moved to a temp
// folder and a free port). The real `docker build` runs only where a Docker
// daemon answers; elsewhere that one test is skipped and says why.
import { execFile, spawnSync } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, tempDir } from '../support/cli-process.js'
import { argsOf, envOf, execForm, parseStages, type Stage } from './dockerfile-parser.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const IMAGE = 'node:20-bookworm-slim'
/** Where the image puts the repository. */
const APP_DIR = '/app'

const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8')
const [build, runtime] = parseStages(dockerfile) as [Stage, Stage]
const rootManifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
  workspaces: string[]
  allowScripts: Record<string, boolean>
}

/** `faust router --help`, whitespace collapsed (commander wraps its lines). */
async function routerHelp(): Promise<string> {
  const { code, stdout } = await runCli(['router', '--help'])
  expect(code).toBe(0)
  return stdout.replaceAll(/\s+/g, ' ')
}

/** The health check's command (exec form, after its options). */
function healthCheck(): string[] {
  const [args] = argsOf(runtime, 'HEALTHCHECK')
  const at = args?.indexOf('CMD ') ?? -1
  if (args === undefined || at === -1) throw new Error('no HEALTHCHECK CMD in the Dockerfile')
  return execForm(args.slice(at + 4))
}

/** The single exec-form value of an instruction of the runtime stage. */
function only(keyword: 'CMD' | 'ENTRYPOINT'): string[] {
  const all = argsOf(runtime, keyword)
  expect(all).toHaveLength(1)
  return execForm(all[0]!)
}

/** Whether a Docker daemon answers, and if not, why. */
function dockerDaemon(): { ok: true } | { ok: false; reason: string } {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  })
  if (info.error !== undefined) return { ok: false, reason: `docker: ${info.error.message}` }
  if (info.status === 0) return { ok: true }
  const said = `${info.stderr}${info.stdout}`.trim().split('\n').at(-1) ?? ''
  return { ok: false, reason: `docker info failed: ${said}` }
}

describe('the router Dockerfile', () => {
  it(`has two stages on ${IMAGE}: build, then the image`, () => {
    expect(parseStages(dockerfile).map((stage) => [stage.image, stage.name])).toEqual([
      [IMAGE, 'build'],
      [IMAGE, undefined],
    ])
  })

  it('copies the manifest of every workspace before npm ci', () => {
    const copied = argsOf(build, 'COPY').flatMap((args) => args.split(/\s+/).slice(0, -1))
    for (const workspace of rootManifest.workspaces) {
      expect(copied).toContain(`${workspace}/package.json`)
    }
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']))
    const missing = copied.filter((path) => !existsSync(join(ROOT, path)))
    expect(missing).toEqual([])
  })

  it('installs with npm ci, rebuilds the allowScripts packages, builds the CLI, prunes dev deps', () => {
    const commands = argsOf(build, 'RUN')
      .flatMap((args) => args.split('&&'))
      .map((command) => command.trim().split(/\s+/))
    const named = (...words: string[]): string[] | undefined =>
      commands.find((command) => words.every((word, index) => command[index] === word))
    expect(named('npm', 'ci')).toContain('--ignore-scripts')
    expect(named('npm', 'rebuild')?.slice(2).sort()).toEqual(
      Object.keys(rootManifest.allowScripts).sort(),
    )
    expect(named('npx', 'tsc', '-b')?.[3]).toBe('packages/cli')
    expect(named('npm', 'prune')).toContain('--omit=dev')
  })

  it('runs as a user other than root, on the port it exposes', () => {
    const [user] = argsOf(runtime, 'USER')
    expect(user).toBeDefined()
    expect(['root', '0', '0:0']).not.toContain(user)
    const [exposed] = argsOf(runtime, 'EXPOSE')
    const cmd = only('CMD')
    expect(cmd.slice(0, 1)).toEqual(['router'])
    expect(cmd[cmd.indexOf('--port') + 1]).toBe(exposed)
    expect(cmd[cmd.indexOf('--host') + 1]).toBe('0.0.0.0')
    expect(healthCheck().join(' ')).toContain(`http://127.0.0.1:${exposed!}/is_alive`)
  })

  it("starts the repository's built CLI, with flags and variables faust router knows", async () => {
    const entry = only('ENTRYPOINT')
    expect(entry[0]).toBe('node')
    expect(entry[1]?.startsWith(`${APP_DIR}/`)).toBe(true)
    expect(existsSync(join(ROOT, entry[1]!.slice(APP_DIR.length + 1)))).toBe(true)
    const help = await routerHelp()
    for (const flag of only('CMD').filter((word) => word.startsWith('--'))) {
      expect(help).toContain(`${flag} `)
    }
    const variables = Object.keys(envOf(runtime)).filter((name) => name.startsWith('FAUST_'))
    expect(variables.length).toBeGreaterThan(0)
    for (const name of [...variables, 'FAUST_BACKEND_TOKEN']) {
      expect(help).toContain(`env: ${name}`)
    }
  })

  it('keeps host-built files out of the build context', async () => {
    const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n')
    expect(ignored).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '**/*.tsbuildinfo']),
    )
  })

  it("the image's command serves and its health check passes (outside Docker)", async () => {
    await using dir = await tempDir('faust-dockerfile-')
    const env: Record<string, string> = { FAUST_BACKEND_TOKEN: 'dockerfile-test-secret-0123456789' }
    // The image's folders, moved into the temp folder; its token comes from the environment.
    for (const [name, value] of Object.entries(envOf(runtime))) {
      env[name] = value.startsWith('/') ? join(dir.path, value) : value
      if (value.startsWith('/')) await mkdir(env[name], { recursive: true })
    }
    // A free port, and loopback only: tests never listen on every interface.
    const moved: Record<string, string> = { '--port': '0', '--host': '127.0.0.1' }
    const cmd = only('CMD').map((word, index, all) => moved[all[index - 1] ?? ''] ?? word)
    const router = startCli(cmd, env)
    try {
      const [, port] = await router.waitFor(
        /serving http:\/\/[^:]+:(\d+)\//,
        'the router',
        'stderr',
      )
      const [node, ...args] = healthCheck().map((word) => word.replace(':8080/', `:${port!}/`))
      expect(node).toBe('node')
      await expect(run(process.execPath, args, { timeout: 10_000 })).resolves.toBeDefined()
    } finally {
      router.child.kill('SIGTERM')
      await router.exited()
    }
  })

  it('builds with docker build where a Docker daemon answers', (context) => {
    const daemon = dockerDaemon()
    if (!daemon.ok) {
      // The one honest skip: no daemon here (CI machines without Docker).
      console.warn(`deploy-dockerfile: docker build not run: ${daemon.reason}`)
      // eslint-disable-next-line vitest/no-disabled-tests -- the one honest skip: no daemon, no build
      context.skip(daemon.reason)
    }
    const built = spawnSync('docker', ['build', '--quiet', '-t', 'faust-router:test', ROOT], {
      encoding: 'utf8',
      timeout: 900_000,
    })
    expect({ status: built.status, stderr: built.stderr }).toMatchObject({ status: 0 })
  }, 960_000)
})
