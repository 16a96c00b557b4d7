// HTTP and socket-upgrade calls on a test router, checking that no answer
// leaks a stack trace or a server path.

export {
  agentDetails,
  call,
  errorBody,
  expectNoStack,
  expectNothingRelayed,
  postForm,
  postJson,
  providerData,
  rawGet,
  registerAgent,
  sequentialIds,
  wireNow,
} from './router-http.js'
export type { HttpResult } from './router-http.js'
export { upgrade } from './socket-upgrade.js'
export type { UpgradeResult } from './socket-upgrade.js'
