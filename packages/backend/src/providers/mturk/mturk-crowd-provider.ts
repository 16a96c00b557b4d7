import type { CrowdProvider } from '../crowd-provider.js'
import { mturkWorkerName } from './mturk-platform.js'
import { mturkWrapScript } from './mturk-wrap-script.js'

/**
 * The page's half of MTurk as a CrowdProvider: the wrap script, and worker
 * names stored as MTurk's WorkerId with `_sandbox` appended in the sandbox
 * (Mephisto's MTurkSandboxWorker does the same), so sandbox and production
 * workers never share a Faust worker. The platform's identity keeps the raw id.
 */
export function mturkCrowdProvider(options: { readonly sandbox: boolean }): CrowdProvider {
  return {
    type: 'mturk',
    wrapCrowdSourceScript: mturkWrapScript('mturk'),
    workerName: (providerData) => mturkWorkerName(providerData.worker_name, options.sandbox),
  }
}
