// The router's defaults, in one frozen object: `resolveRouterOptions` applies
// them and the CLI shows and passes them. A module of its own, exported as
// `@faust/router/defaults` too, so that reading them loads no HTTP server.

const MiB = 1024 * 1024

/** What {@link createRouter} uses for each option left out (see {@link RouterOptions}). */
export const ROUTER_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 3000,
  backendAuth: 'token',
  allowUnknownAgents: false,
  heartbeatTimeoutMs: 15_000,
  reconnectGraceMs: 10_000,
  requestTimeoutMs: 30_000,
  /** The folder under the system's temporary folder that uploads go to. */
  uploadDirName: 'faust-uploads',
  maxUploadBytes: 10 * MiB,
  maxUploadFiles: 10,
  maxBodyBytes: 5 * MiB,
  maxAgentFrameBytes: MiB,
  maxBackendFrameBytes: 64 * MiB,
  maxBackendBacklog: 10_000,
  maxAgentQueue: 1000,
  maxPendingRequests: 10_000,
  logLevel: 'info',
  // ---- duplicate submissions
  maxSubmittedAgents: 10_000,
  submittedAgentTtlMs: 24 * 60 * 60 * 1000,
  // ---- JSON shape limits; the longest string defaults to `maxBodyBytes`
  maxJsonDepth: 64,
  maxJsonKeys: 10_000,
  maxJsonNodes: 1_000_000,
  // ---- memory bounds and deadlines
  maxEndedAgents: 10_000,
  identifyTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 300_000,
  keepAliveTimeoutMs: 10_000,
  // ---- the public surface
  maxConcurrentUploads: 20,
  uploadIdleTimeoutMs: 30_000,
  uploadTotalTimeoutMs: 600_000,
  /** The crowd providers' origins that may frame the task page. */
  frameAncestors: Object.freeze<readonly string[]>(['https://*.mturk.com']),
} as const)

/** The type of {@link ROUTER_DEFAULTS}. */
export type RouterDefaults = typeof ROUTER_DEFAULTS
