import { ProviderError } from '@faust/backend'
import type { CommandIo } from '../command-io.js'
import { platformFromEnvironment, type PlatformType } from '../providers/backend-api.js'

/** A worker as stored: the platform is told by its provider type. */
export interface StoredWorker {
  readonly workerName: string
  readonly providerType: string
}

/** What a local grant or revocation means on the worker's platform. */
export type PlatformChange =
  | { readonly kind: 'block' }
  | { readonly kind: 'unblock' }
  | { readonly kind: 'qualification'; readonly name: string; readonly value: number | null }

const PLATFORMS: ReadonlySet<string> = new Set<PlatformType>(['prolific', 'mturk'])
const SANDBOX_SUFFIX = '_sandbox'

/**
 * Mirrors a block or a qualification on the platform the worker came from
 * (Prolific's participant groups, MTurk's blocks and qualification types;
 * docs/providers.md), so a worker blocked here no longer sees the task
 * there. Returns a line saying what was done, or null for the mock
 * provider's workers. Credentials come from the environment as for
 * `faust run`; a failure is thrown (the local change is kept).
 */
export async function mirrorOnPlatform(
  worker: StoredWorker,
  change: PlatformChange,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  if (!PLATFORMS.has(worker.providerType)) return null
  const type = worker.providerType as PlatformType
  // MTurk sandbox workers are stored with Mephisto's suffix; the platform knows the raw id.
  const sandbox = type === 'mturk' && worker.workerName.endsWith(SANDBOX_SUFFIX)
  const workerId = sandbox ? worker.workerName.slice(0, -SANDBOX_SUFFIX.length) : worker.workerName
  const platform = platformFromEnvironment(type, env, { sandbox })
  const where = `${type}${sandbox ? ' (sandbox)' : ''}`
  switch (change.kind) {
    case 'block':
      await platform.block(workerId, 'blocked with faust block')
      return `also blocked on ${where}`
    case 'unblock':
      await platform.unblock(workerId)
      return `also unblocked on ${where}`
    case 'qualification':
      await platform.setQualification(workerId, change.name, change.value)
      return `also ${change.value === null ? 'revoked' : 'granted'} on ${where}`
  }
}

/**
 * {@link mirrorOnPlatform}, its line written under the local change's
 * (`faust run`'s credentials); without credentials, a note on stderr instead.
 */
export async function mirror(
  io: CommandIo,
  worker: StoredWorker,
  change: PlatformChange,
): Promise<void> {
  try {
    const line = await mirrorOnPlatform(worker, change, process.env)
    if (line !== null) io.stdout.write(`${line}\n`)
  } catch (error) {
    // Without credentials here (qualifying workers ahead, on another machine)
    // the local change stands and the next run publishes with it; any other
    // platform failure is the command's.
    if (!(error instanceof ProviderError) || error.code !== 'PROVIDER_AUTH_MISSING') throw error
    io.stderr.write(`not changed on ${worker.providerType}: ${error.message}\n`)
  }
}
