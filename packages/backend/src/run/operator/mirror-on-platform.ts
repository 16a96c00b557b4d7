import {
  isPlatformType,
  platformFromEnvironment,
} from '../../providers/platform-from-environment.js'

/** A worker as stored: the platform is told by its provider type. */
export interface StoredWorker {
  readonly workerName: string
  readonly providerType: string
}

/** What a local grant or revocation means on the worker's platform. */
export type PlatformChange =
  /** `reason`: what the platform keeps with the block (MTurk shows it to nobody but the requester). */
  | { readonly kind: 'block'; readonly reason?: string | undefined }
  | { readonly kind: 'unblock' }
  | { readonly kind: 'qualification'; readonly name: string; readonly value: number | null }

/** Builds a platform client from the environment; a test passes its own. */
export type PlatformFactory = typeof platformFromEnvironment

const SANDBOX_SUFFIX = '_sandbox'

/**
 * Mirrors a block or a qualification on the platform the worker came from
 * (Prolific's participant groups, MTurk's blocks and qualification types;
 * docs/providers.md), so a worker blocked here no longer sees the task
 * there. Returns a line saying what was done, or null for the mock
 * provider's workers. Credentials come from the environment as for
 * `faust run`; a failure is thrown (the caller keeps the local change).
 */
export async function mirrorOnPlatform(
  worker: StoredWorker,
  change: PlatformChange,
  platforms: {
    readonly env: NodeJS.ProcessEnv
    readonly platformFor?: PlatformFactory | undefined
  },
): Promise<string | null> {
  const { env, platformFor = platformFromEnvironment } = platforms
  const type = worker.providerType
  if (!isPlatformType(type)) return null
  // MTurk sandbox workers are stored with Mephisto's suffix; the platform knows the raw id.
  const sandbox = type === 'mturk' && worker.workerName.endsWith(SANDBOX_SUFFIX)
  const workerId = sandbox ? worker.workerName.slice(0, -SANDBOX_SUFFIX.length) : worker.workerName
  const platform = platformFor(type, env, { sandbox })
  const where = `${type}${sandbox ? ' (sandbox)' : ''}`
  switch (change.kind) {
    case 'block':
      await platform.block(workerId, change.reason ?? 'blocked with faust block')
      return `also blocked on ${where}`
    case 'unblock':
      await platform.unblock(workerId)
      return `also unblocked on ${where}`
    case 'qualification':
      await platform.setQualification(workerId, change.name, change.value)
      return `also ${change.value === null ? 'revoked' : 'granted'} on ${where}`
  }
}
