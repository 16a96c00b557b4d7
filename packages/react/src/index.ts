'use client'

// @faust/react: thin React bindings over @faust/client, a drop-in for
// `mephisto-task` 2.0.4 (change the import, nothing else).

// mephisto-task's hooks and components
export { useMephistoTask } from './use-mephisto-task.js'
export type { MephistoTask } from './use-mephisto-task.js'
export { useMephistoLiveTask } from './use-mephisto-live-task.js'
export type {
  MephistoLiveFields,
  MephistoLiveTask,
  MephistoLiveTaskProps,
} from './use-mephisto-live-task.js'
export { useMephistoRemoteProcedureTask } from './use-mephisto-remote-procedure-task.js'
export type { MephistoRemoteProcedureTask } from './use-mephisto-remote-procedure-task.js'
export { useFaustTask } from './use-faust-task.js'
export type { FaustTask } from './use-faust-task.js'
export { ErrorBoundary } from './error-boundary.js'
export type { ErrorBoundaryProps } from './error-boundary.js'
export { MephistoContext } from './mephisto-context.js'

// mephisto-task's constants, from the core
export {
  AGENT_STATUS,
  CONNECTION_STATUS,
  STATUS_TO_TEXT_MAP,
  getBlockedExplanation,
} from '@faust/client'

// Worker-facing texts (the catalogue in the task's language), from the core
export {
  blockedTitle,
  createMessageBook,
  createMessages,
  messagesForTaskConfig,
  messagesOptionsOf,
} from '@faust/client'
export type { ClientMessages, MessageKey, Messages, MessagesOptions } from '@faust/client'
export { createPageMessages } from './page-messages.js'
export type { PageMessagesKit } from './page-messages.js'

// Provider API for new code
export { FaustContext, FaustProvider, useFaustClient } from './faust-provider.js'
export type { FaustProviderProps } from './faust-provider.js'
export { useSnapshot } from './use-snapshot.js'
