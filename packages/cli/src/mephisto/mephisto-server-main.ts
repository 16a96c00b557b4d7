// The router of a folder made by `faust mephisto-server`. Mephisto copies the
// folder, writes the task's files into `static/`, and starts `node server.js`
// in the copy with PORT set; this is what runs then (bundled into server.js,
// so the folder needs no installed packages).
import { randomBytes } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { createRouter, type Router } from '@faust/router'

/** Where Mephisto's local architect copies uploads from: `/tmp/<filename>`. */
const MEPHISTO_UPLOAD_DIR = '/tmp'

/**
 * Starts Faust's router in Mephisto mode: serving `static/` beside the
 * script, agent ids the backend never named allowed (Mephisto's backend does
 * not name its agents again after a router restart), uploads where
 * Mephisto's architect looks for them, and a backend without a secret
 * trusted from this machine only. Settings come from the environment.
 */
async function startMephistoServer(env: NodeJS.ProcessEnv, folder: string): Promise<Router> {
  const port = Number(env['PORT'] ?? '3000')
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`PORT must be a port number, got '${env['PORT'] ?? ''}'`)
  }
  return createRouter({
    // Mephisto's own server listens on every interface; FAUST_HOST narrows it.
    host: env['FAUST_HOST'] ?? '0.0.0.0',
    port,
    staticDir: join(folder, 'static'),
    // A backend that has the secret is accepted too; nobody needs to know a generated one.
    backendToken: env['FAUST_BACKEND_TOKEN'] ?? randomBytes(24).toString('base64url'),
    backendAuth: 'loopback',
    allowUnknownAgents: true,
    uploadDir: env['FAUST_UPLOAD_DIR'] ?? MEPHISTO_UPLOAD_DIR,
    logLevel: env['FAUST_LOG_LEVEL'] ?? 'info',
  })
}

async function main(): Promise<void> {
  const script = process.argv[1]
  const folder = script === undefined ? process.cwd() : dirname(resolve(script))
  const router = await startMephistoServer(process.env, folder)
  process.stderr.write(`faust mephisto server: serving ${router.url}/\n`)
  // Mephisto's architect stops the server with SIGTERM (or Ctrl-C reaches the group).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void router.close().then(() => process.exit(0))
    })
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `faust mephisto server: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
