import type { CrowdProvider } from './crowd-provider.js'
import type { ProviderPlatform } from './provider-platform.js'

/**
 * The page half of a paid platform, as a run uses it: the platform's
 * `wrap_crowd_source.js` carrying the completion code, and workers named by
 * the platform's worker id. Sandbox MTurk workers get a `_sandbox` suffix, as
 * in Mephisto, so that sandbox work never counts toward a real worker's
 * limits or qualifications; Prolific has no sandbox.
 */
export function crowdProviderFor(
  platform: ProviderPlatform,
  completionCode: string,
): CrowdProvider {
  const suffix = platform.sandbox && platform.type === 'mturk' ? '_sandbox' : ''
  return {
    type: platform.type,
    wrapCrowdSourceScript: platform.wrapCrowdSourceScript(completionCode),
    workerName: (providerData) =>
      `${platform.identify(providerData)?.workerId ?? providerData.worker_name}${suffix}`,
    identify: (providerData) => platform.identify(providerData),
    syncQualification: ({ workerName, qualificationName, value }) =>
      platform.setQualification(
        suffix === '' ? workerName : workerName.slice(0, -suffix.length),
        qualificationName,
        value,
      ),
  }
}
