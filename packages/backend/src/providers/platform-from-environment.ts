import { mturkPlatformFromEnvironment } from './mturk/mturk-platform.js'
import { prolificPlatformFromEnvironment } from './prolific/prolific-environment.js'
import type { ProviderPlatform } from './provider-platform.js'

/** The crowd platforms a run can be published on (`faust run --provider`). */
export type PlatformType = 'prolific' | 'mturk'

/** Whether a stored provider type is one of the crowd platforms (not the mock provider). */
export function isPlatformType(type: string): type is PlatformType {
  return type === 'prolific' || type === 'mturk'
}

/**
 * The platform, its credentials and endpoints from the environment
 * (PROLIFIC_API_TOKEN, PROLIFIC_API_URL, PROLIFIC_COMPLETION_URL…; the AWS
 * SDK's chain and AWS_ENDPOINT_URL_MTURK). Throws ProviderError
 * PROVIDER_AUTH_MISSING when a credential is missing.
 */
export function platformFromEnvironment(
  type: PlatformType,
  env: NodeJS.ProcessEnv,
  options: { readonly sandbox: boolean },
): ProviderPlatform {
  if (type === 'prolific') return prolificPlatformFromEnvironment(env)
  return mturkPlatformFromEnvironment(env, options)
}
