// The repository's reverse-proxy configurations (deploy/nginx.conf,
// deploy/Caddyfile) started for real in a temporary folder, for the deploy
// tests. Each is adapted only where a test must differ from a public host:
// loopback listen addresses on free ports, the router's port, and a
// self-signed certificate instead of Let's Encrypt's. Every replacement must
// match, so a config that drifts from what the test expects fails the test.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { connect, createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { within } from '@faust/testing'

const run = promisify(execFile)

/** The repository's deploy folder. */
export const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url))

/** A self-signed certificate for 127.0.0.1, made by openssl. */
export interface Certificate {
  readonly certPath: string
  readonly keyPath: string
  readonly pem: string
}

/** Makes a certificate for `127.0.0.1` and `localhost` in `dir` (bounded: 20 s). */
export async function selfSignedCertificate(dir: string): Promise<Certificate> {
  const certPath = join(dir, 'cert.pem')
  const keyPath = join(dir, 'key.pem')
  await run(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-keyout', keyPath, '-out', certPath, '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ],
    { timeout: 20_000 },
  )
  return { certPath, keyPath, pem: await readFile(certPath, 'utf8') }
}

/** A loopback port that was free a moment ago, for a proxy to listen on. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Replaces `from` in `text`, failing if it is not there. */
export function replaceExactly(text: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text)
  if (!found) throw new Error(`the deploy config no longer contains ${String(from)}`)
  return typeof from === 'string' ? text.replaceAll(from, to) : text.replace(from, to)
}

/** Where a proxy listens and what it forwards to. */
export interface ProxySetup {
  readonly dir: string
  readonly certificate: Certificate
  /** The router's port on 127.0.0.1. */
  readonly upstreamPort: number
}

/** A running proxy. */
export interface RunningProxy {
  readonly name: string
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string
  /** The plain-HTTP side (ACME and the redirect to https), `http://127.0.0.1:<port>`. */
  readonly httpOrigin: string
  /** Output so far, for failure messages. */
  output(): string
  stop(): Promise<void>
}

/** Starts a child, collecting its output; killed if the test process exits first. */
function startChild(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const kill = (): void => {
    child.kill('SIGKILL')
  }
  process.once('exit', kill)
  child.once('exit', () => process.off('exit', kill))
  return { child, output: () => output }
}

/** Stops a child with SIGTERM, then SIGKILL if it is still there after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  try {
    await within(exited, 5000, 'the proxy to stop')
  } catch {
    child.kill('SIGKILL')
    await exited
  }
}

/** Resolves once something accepts TCP connections on the port (bounded: 10 s). */
async function waitForListener(port: number, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited before listening`)
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => {
        resolve(false)
      })
    })
    if (accepted) return
    if (Date.now() > deadline) throw new Error(`${what} not listening on ${String(port)} in 10 s`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Waits for the listener; a proxy that never listens is stopped, and its output reported. */
async function listening(
  port: number,
  child: ChildProcess,
  what: string,
  output: () => string,
): Promise<void> {
  try {
    await waitForListener(port, child, what)
  } catch (error) {
    await stopChild(child)
    throw new Error(`${(error as Error).message}; its output: ${output()}`)
  }
}

/** deploy/nginx.conf with loopback listeners, the router's port and the test certificate. */
export async function nginxSiteConfig(
  setup: ProxySetup,
  ports: { https: number; http: number },
): Promise<string> {
  let text = await readFile(join(DEPLOY_DIR, 'nginx.conf'), 'utf8')
  text = replaceExactly(
    text,
    'server 127.0.0.1:8080;',
    `server 127.0.0.1:${String(setup.upstreamPort)};`,
  )
  text = replaceExactly(text, 'listen 443 ssl;', `listen 127.0.0.1:${String(ports.https)} ssl;`)
  text = replaceExactly(text, 'listen 80;', `listen 127.0.0.1:${String(ports.http)};`)
  // The test listens on loopback only: IPv6's wildcard listeners go.
  text = replaceExactly(text, /^\s*listen \[::\]:80;\n/m, '')
  text = replaceExactly(text, /^\s*listen \[::\]:443 ssl;\n/m, '')
  text = replaceExactly(
    text,
    '/etc/letsencrypt/live/faust.example.org/fullchain.pem',
    setup.certificate.certPath,
  )
  return replaceExactly(
    text,
    '/etc/letsencrypt/live/faust.example.org/privkey.pem',
    setup.certificate.keyPath,
  )
}

/**
 * The main file around the site config: nginx's own state (pid, temporary
 * files) in the test folder, which its workers (www-data when run as root)
 * must be able to enter.
 */
function nginxMainConfig(prefix: string): string {
  return [
    'worker_processes 1;',
    `pid ${join(prefix, 'nginx.pid')};`,
    'error_log stderr warn;',
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `  ${kind}_temp_path ${join(prefix, `${kind}_temp`)};`,
    ),
    `  include ${join(prefix, 'faust.conf')};`,
    '}',
    '',
  ].join('\n')
}

/** Starts nginx with the repository's config (bounded). */
export async function startNginx(setup: ProxySetup): Promise<RunningProxy> {
  const prefix = join(setup.dir, 'nginx')
  await mkdir(prefix, { recursive: true })
  await chmod(setup.dir, 0o755)
  await chmod(prefix, 0o755)
  const ports = { https: await freeLoopbackPort(), http: await freeLoopbackPort() }
  await writeFile(join(prefix, 'faust.conf'), await nginxSiteConfig(setup, ports))
  const main = join(prefix, 'nginx.conf')
  await writeFile(main, nginxMainConfig(prefix))
  // `-e stderr`: a user who cannot write /var/log/nginx gets no startup alert.
  const files = ['-p', prefix, '-c', main, '-e', 'stderr']
  // A config error is reported by `nginx -t` plainly, before anything listens.
  await run('nginx', ['-t', '-q', ...files], { timeout: 10_000 })
  const args = [...files, '-g', 'daemon off;']
  const { child, output } = startChild('nginx', args, process.env)
  await listening(ports.https, child, 'nginx', output)
  return {
    name: 'nginx',
    origin: `https://127.0.0.1:${String(ports.https)}`,
    httpOrigin: `http://127.0.0.1:${String(ports.http)}`,
    output,
    stop: () => stopChild(child),
  }
}

/**
 * deploy/Caddyfile for the test: the global options (the e-mail for ACME)
 * become a Caddy that needs no internet, keeps its state in the test folder
 * and listens on TCP only (no HTTP/3 on UDP); the site address becomes the
 * loopback port with the test certificate.
 */
export async function caddyConfig(
  setup: ProxySetup,
  ports: { https: number; http: number },
): Promise<string> {
  const port = ports.https
  let text = await readFile(join(DEPLOY_DIR, 'Caddyfile'), 'utf8')
  const global = [
    'admin off',
    `http_port ${String(ports.http)}`,
    `https_port ${String(ports.https)}`,
    'skip_install_trust',
    `storage file_system ${join(setup.dir, 'caddy-data')}`,
    'servers {\n\t\tprotocols h1 h2\n\t}',
  ].join('\n\t')
  text = replaceExactly(text, /^\temail .*$/m, `\t${global}`)
  const site = `https://127.0.0.1:${String(port)} {\n\tbind 127.0.0.1\n\ttls ${setup.certificate.certPath} ${setup.certificate.keyPath}\n`
  text = replaceExactly(text, /^faust\.example\.org \{\n/m, site)
  return replaceExactly(
    text,
    'reverse_proxy 127.0.0.1:8080',
    `reverse_proxy 127.0.0.1:${String(setup.upstreamPort)}`,
  )
}

/** Starts Caddy with the repository's Caddyfile (bounded). */
export async function startCaddy(setup: ProxySetup): Promise<RunningProxy> {
  const ports = { https: await freeLoopbackPort(), http: await freeLoopbackPort() }
  const port = ports.https
  const file = join(setup.dir, 'Caddyfile')
  await writeFile(file, await caddyConfig(setup, ports))
  const home = join(setup.dir, 'caddy-home')
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
  }
  const { child, output } = startChild(
    'caddy',
    ['run', '--config', file, '--adapter', 'caddyfile'],
    env,
  )
  await listening(port, child, 'caddy', output)
  return {
    name: 'caddy',
    origin: `https://127.0.0.1:${String(port)}`,
    httpOrigin: `http://127.0.0.1:${String(ports.http)}`,
    output,
    stop: () => stopChild(child),
  }
}
