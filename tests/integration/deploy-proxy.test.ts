// docs/deploy.md for real: the built `faust router` on 127.0.0.1 behind the
// repository's own nginx and Caddy configs (deploy/), over TLS with a
// self-signed certificate, and the built `faust run --router-url https://…`
// as the backend on the far side of the proxy, as a researcher runs it. A
// worker's page is played through the proxy: the task page, its
// task_config.json, /request_agent, a socket exchanging alive and heartbeats,
// and a submission with a file larger than the proxies' default body limit,
// which the backend then downloads over https. Real processes and real time:
// every wait is bounded and everything is killed in afterAll.
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_DIR, startCli, type CliProcess } from '../support/cli-process.js'
import {
  selfSignedCertificate,
  startCaddy,
  startNginx,
  type Certificate,
  type ProxySetup,
  type RunningProxy,
} from './deploy-proxies.js'
import {
  httpsRequest,
  multipartBody,
  openTlsSocket,
  postJsonTls,
  type TlsSocket,
} from './deploy-tls-client.js'

const TOKEN = 'deploy-proxy-secret-0123456789'
const TASK_NAME = 'cli-fixture'
/** Over nginx's default client_max_body_size (1 MiB). */
const UPLOAD_BYTES = 2 * 1024 * 1024

/** Whether a command is on the PATH. */
function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
}

/** A worker link `faust run` printed for the remote router. */
interface HttpsLink {
  readonly workerId: string
  readonly assignmentId: string
}

/** Everything one proxy's tests share. */
interface Deployment {
  dir: string
  certificate: Certificate
  router: CliProcess
  proxy: RunningProxy
  run: CliProcess
  links: HttpsLink[]
  /** Agent ids by link, once registered: a worker registers once. */
  agents: Map<number, Promise<string>>
}

/** `faust run`'s https worker links, once its banner is out. */
async function httpsLinks(run: CliProcess, origin: string): Promise<HttpsLink[]> {
  await run.waitFor(/Ctrl-C pauses the run/, 'the worker links')
  const escaped = origin.replaceAll('.', '\\.')
  const pattern = new RegExp(`${escaped}/\\?worker_id=([\\w-]+)&assignment_id=(\\w+)`, 'g')
  return [...run.stdout().matchAll(pattern)].map(([, workerId, assignmentId]) => ({
    workerId: workerId!,
    assignmentId: assignmentId!,
  }))
}

/** What stops each started part, run last first (also when starting failed halfway). */
type Stops = (() => Promise<void>)[]

/** Stops a CLI process: SIGTERM, then its (bounded) exit. */
async function stopCli(cli: CliProcess): Promise<void> {
  if (cli.child.exitCode === null) cli.child.kill('SIGTERM')
  await cli.exited().catch(() => undefined)
}

/** Router, proxy and backend, started in that order; each registers its stop in `stops`. */
async function deploy(
  start: (setup: ProxySetup) => Promise<RunningProxy>,
  stops: Stops,
): Promise<Deployment> {
  const dir = await mkdtemp(join(tmpdir(), 'faust-deploy-'))
  stops.push(() => rm(dir, { recursive: true, force: true }))
  const certificate = await selfSignedCertificate(dir)
  const dataDir = join(dir, 'data')
  // `faust run` prepares the site here; on a real host it is copied into the
  // router's --static folder (docs/deploy.md), here the router serves it in place.
  const siteDir = join(dataDir, 'sites', TASK_NAME)
  await mkdir(siteDir, { recursive: true })
  const router = startCli([
    ...['router', '--host', '127.0.0.1', '--port', '0', '--static', siteDir],
    ...['--backend-token', TOKEN, '--upload-dir', join(dir, 'uploads')],
  ])
  stops.push(() => stopCli(router))
  const [, port] = await router.waitFor(
    /serving http:\/\/127\.0\.0\.1:(\d+)\//,
    'the router',
    'stderr',
  )
  const proxy = await start({ dir, certificate, upstreamPort: Number(port) })
  stops.push(() => proxy.stop())
  const run = startCli(
    [
      'run',
      FIXTURE_DIR,
      '--data-dir',
      dataDir,
      '--router-url',
      proxy.origin,
      '--router-token',
      TOKEN,
    ],
    { NODE_EXTRA_CA_CERTS: certificate.certPath },
  )
  stops.push(() => stopCli(run))
  const links = await httpsLinks(run, proxy.origin)
  return { dir, certificate, router, proxy, run, links, agents: new Map() }
}

/** The agent of link `index`'s worker, registered through the proxy the first time. */
function agentOf(d: Deployment, index: number): Promise<string> {
  let agent = d.agents.get(index)
  if (agent === undefined) {
    const link = d.links[index]
    if (link === undefined) throw new Error(`faust run printed no link ${String(index)}`)
    agent = registerThrough(d, link)
    d.agents.set(index, agent)
  }
  return agent
}

/** Registers a link's worker as the mock provider's page does; returns its agent id. */
async function registerThrough(d: Deployment, link: HttpsLink): Promise<string> {
  const answer = await postJsonTls(`${d.proxy.origin}/request_agent`, d.certificate.pem, {
    provider_data: {
      worker_name: link.workerId,
      agent_registration_id: `${link.assignmentId}-${link.workerId}`,
    },
  })
  expect(answer.status).toBe(200)
  const agentId = (answer.body as { data: { agent_id: unknown } }).data.agent_id
  expect(agentId).toEqual(expect.any(String))
  return agentId as string
}

/** Every file under `dir`, with its size. */
async function filesUnder(dir: string): Promise<{ path: string; size: number }[]> {
  const names = await readdir(dir, { recursive: true })
  const sized = await Promise.all(
    names.map(async (name) => ({ path: join(dir, name), info: await stat(join(dir, name)) })),
  )
  return sized
    .filter(({ info }) => info.isFile())
    .map(({ path, info }) => ({ path, size: info.size }))
}

/** Stops what `deploy` started, last first. */
async function teardown(stops: Stops): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop()
}

const PROXIES = [
  { name: 'nginx', start: startNginx, available: installed('nginx') },
  { name: 'caddy', start: startCaddy, available: installed('caddy') },
]

describe.each(PROXIES)('faust router behind $name (deploy/)', ({ name, start, available }) => {
  let d: Deployment | undefined
  const stops: Stops = []
  const deployment = (): Deployment => {
    if (d === undefined) throw new Error(`${name} deployment did not start`)
    return d
  }

  beforeAll(async () => {
    // CI installs both (.ci/run); a machine without them fails here, loudly.
    if (!available) throw new Error(`${name} is not installed: apt-get install -y ${name}`)
    d = await deploy(start, stops)
  }, 60_000)

  afterAll(() => teardown(stops), 30_000)

  it('serves the task page and task_config.json over https', async () => {
    const { proxy, certificate } = deployment()
    const page = await httpsRequest(`${proxy.origin}/`, certificate.pem)
    expect(page.status).toBe(200)
    expect(page.text).toBe(await readFile(join(FIXTURE_DIR, 'page', 'index.html'), 'utf8'))
    const config = await httpsRequest(
      `${proxy.origin}/task_config.json?mephisto_task_version=2.0.4`,
      certificate.pem,
    )
    expect(config.status).toBe(200)
    expect(JSON.parse(config.text)).toMatchObject({
      task_description: 'Say whether each text is positive.',
      mephisto_task_version: '2.0.4',
    })
  })

  it('answers plain http with a redirect to https', async () => {
    const { proxy } = deployment()
    const answer = await fetch(`${proxy.httpOrigin}/task_config.json`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    })
    // nginx answers 301 to the default port, Caddy 308 to its own.
    expect([301, 308]).toContain(answer.status)
    expect(answer.headers.get('location')).toMatch(
      /^https:\/\/127\.0\.0\.1(:\d+)?\/task_config\.json$/,
    )
  })

  it('keeps a worker socket up: alive answered with a status, heartbeats echoed', async () => {
    const d = deployment()
    const agentId = await agentOf(d, 0)
    const socketUrl = `${d.proxy.origin.replace('https', 'wss')}/`
    const socket: TlsSocket = await openTlsSocket(socketUrl, d.certificate.pem, d.proxy.origin)
    try {
      socket.send({
        packet_type: 'alive',
        subject_id: agentId,
        data: { update_id: 'deploy-alive-1' },
        client_timestamp: Date.now() / 1000,
      })
      expect(await socket.next('update_status')).toMatchObject({ subject_id: agentId })
      for (let beat = 0; beat < 5; beat += 1) {
        socket.send({
          packet_type: 'heartbeat',
          subject_id: agentId,
          client_timestamp: Date.now() / 1000,
        })
        const echo = await socket.next('heartbeat')
        expect(echo).toMatchObject({ subject_id: agentId })
        expect(typeof (echo['data'] as Record<string, unknown>)['last_mephisto_ping']).toBe(
          'number',
        )
      }
      expect(socket.socket.readyState).toBe(socket.socket.OPEN)
    } finally {
      await socket.close()
    }
  })

  it("refuses a worker socket from another site's page (Origin passed through)", async () => {
    const { proxy, certificate } = deployment()
    const socketUrl = `${proxy.origin.replace('https', 'wss')}/`
    await expect(
      openTlsSocket(socketUrl, certificate.pem, 'https://attacker.example'),
    ).rejects.toThrow(/403/)
  })

  it('takes a 2 MiB upload, which the backend downloads over https; the run ends', async () => {
    const d = deployment()
    const agentId = await agentOf(d, 0)
    const form = multipartBody(
      { USED_AGENT_ID: agentId, final_string_data: JSON.stringify({ label: 'positive' }) },
      { field: 'file', name: 'big.bin', bytes: Buffer.alloc(UPLOAD_BYTES, 7) },
    )
    const submitted = await httpsRequest(`${d.proxy.origin}/submit_task`, d.certificate.pem, {
      method: 'POST',
      headers: { 'content-type': form.contentType },
      body: form.body,
    })
    expect({ status: submitted.status, text: submitted.text }).toMatchObject({ status: 200 })
    const other = await agentOf(d, 1)
    const last = await postJsonTls(`${d.proxy.origin}/submit_task`, d.certificate.pem, {
      USED_AGENT_ID: other,
      final_data: { label: 'negative' },
    })
    expect(last.status).toBe(200)
    const ended = await d.run.exited()
    expect({ code: ended.code, stderr: ended.stderr }).toMatchObject({ code: 0 })
    const stored = await filesUnder(join(d.dir, 'data', 'runs'))
    expect(stored.map((file) => file.size)).toContain(UPLOAD_BYTES)
  })
})
