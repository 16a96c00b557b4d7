// @faust/client: a framework-free, drop-in core for `mephisto-task` 2.0.4 pages.
// Browser-first; in Node inject `baseUrl`, `fetch`, `WebSocket` and a provider.

// Client
export { TaskClient, createTaskClient } from './task-client.js'
export type { SubmitFiles, SubmitOptions } from './task-client.js'
export type { TaskClientOptions } from './task-client-options.js'
export type { SubmissionState, TaskConfig, TaskState, TaskStatus } from './task-state.js'

// Live connection and remote procedures
export { LiveConnection } from './live-connection.js'
export type {
  CallOptions,
  LiveConnectionOptions,
  LiveState,
  LiveUpdate,
  RemoteProcedure,
} from './live-connection.js'
export { DEFAULT_LIVE_CONFIG, liveConfigFromReference } from './live-config.js'
export type { LiveConfig, ReferenceSocketConfig } from './live-config.js'

// State primitives
export { ObservableState } from './observable-state.js'
export type { Subscribable } from './observable-state.js'

// Constants with `mephisto-task`'s names and values
export { AGENT_STATUS, STATUS_TO_TEXT_MAP } from './agent-status.js'
export { CONNECTION_STATUS, toConnectionStatus } from './connection-status.js'
export type {
  CloseReason,
  ConnectionState,
  ConnectionStatus,
  ReconnectReason,
} from './connection-status.js'
export { getBlockedExplanation, isMobileUserAgent } from './blocked-reason.js'
export type { BlockedReason } from './blocked-reason.js'

// Worker-facing texts: the catalogues (en, es) and the book that builds them
export {
  blockedTitle,
  CATALOGUES,
  createMessageBook,
  createMessages,
  messagesForTaskConfig,
  messagesOptionsOf,
  refusalKeyOf,
} from './messages/index.js'
export type {
  Catalogues,
  ClientMessages,
  MessageKey,
  MessageOverrides,
  MessageParams,
  Messages,
  MessagesOptions,
  RefusalKey,
} from './messages/index.js'

// Errors
export { ClientError } from './client-error.js'
export type { ClientErrorCode, ClientErrorOptions } from './client-error.js'

// Environment
export { globalProvider, mockWorkerProvider } from './provider.js'
export type { ProviderRegistration, ProviderUrlParams, TaskProvider } from './provider.js'
export { defaultRetryDelayMs } from './retry.js'
export { randomUuid } from './random-uuid.js'
export { memoryStorage } from './pending-submission.js'
export type {
  FetchLike,
  LocationLike,
  RequestInitLike,
  ResponseLike,
  SocketConstructor,
  SocketLike,
  StorageLike,
} from './ports.js'
