'use client'

import { useMemo } from 'react'
import type {
  BlockedReason,
  ClientError,
  RefusalKey,
  TaskClient,
  TaskConfig,
  TaskState,
  TaskStatus,
} from '@faust/client'
import { useSnapshot } from './use-snapshot.js'
import { useTaskClient } from './use-task-client.js'

/** What {@link useMephistoTask} returns: `mephisto-task` 2.0.4's fields, plus `status`, `error`, `retry`. */
export interface MephistoTask {
  readonly providerWorkerId: string | null
  readonly assignmentId: string | null
  readonly isPreview: boolean
  readonly taskConfig: TaskConfig | null
  readonly mephistoWorkerId: string | null
  readonly agentId: string | null
  readonly mephistoAgentId: string | null
  readonly isOnboarding: boolean | null
  readonly initialTaskData: unknown
  readonly blockedReason: BlockedReason | null
  readonly blockedExplanation: string | null
  /** Why the backend refused the worker, by FailureReason key (Faust; null otherwise, or for a text it does not know). */
  readonly refusal: RefusalKey | null
  /** Always null, as in the reference. */
  readonly previewHtml: null
  readonly loaded: boolean
  readonly isLoading: boolean
  /** Submits onboarding answers or the final data; resolves when the router has them. */
  readonly handleSubmit: (data: unknown) => Promise<void>
  /** Submits `{ [item.type]: item }`; resolves with the router's answer. */
  readonly handleMetadataSubmit: (...items: unknown[]) => Promise<unknown>
  /** Reports an error to the backend's log. */
  readonly handleFatalError: (data: unknown) => Promise<unknown>
  /** Where loading is (Faust): `loading`, `preview`, `ready`, `blocked` or `error`. */
  readonly status: TaskStatus
  /** Why loading or registration failed (Faust; the reference kept loading forever). */
  readonly error: ClientError | null
  /** Starts over after an `error` (Faust). */
  readonly retry: () => Promise<TaskState>
}

/** The static task hook: a drop-in for `mephisto-task`'s `useMephistoTask()`. */
export function useMephistoTask(): MephistoTask {
  const client = useTaskClient()
  return useTaskFields(client, useSnapshot(client))
}

/** {@link MephistoTask} for a client and its snapshot, stable while neither changes. */
export function useTaskFields(client: TaskClient, state: TaskState): MephistoTask {
  const handlers = useMemo(
    () => ({
      handleSubmit: (data: unknown) => client.submit(data),
      handleMetadataSubmit: (...items: unknown[]) => client.submitMetadata(...items),
      handleFatalError: (data: unknown) => client.logError(data),
      retry: () => client.retry(),
    }),
    [client],
  )
  return useMemo(
    () => ({
      providerWorkerId: state.providerWorkerId,
      assignmentId: state.assignmentId,
      isPreview: state.isPreview,
      taskConfig: state.taskConfig,
      mephistoWorkerId: state.mephistoWorkerId,
      agentId: state.agentId,
      mephistoAgentId: state.mephistoAgentId,
      isOnboarding: state.isOnboarding,
      initialTaskData: state.initialTaskData,
      blockedReason: state.blockedReason,
      blockedExplanation: state.blockedExplanation,
      refusal: state.refusal ?? null,
      previewHtml: null,
      loaded: state.loaded,
      isLoading: !state.loaded,
      status: mephistoStatus(state),
      error: state.error,
      ...handlers,
    }),
    [state, handlers],
  )
}

/**
 * The client's status in the hook's five: `submitted` is `blocked` when the
 * registration found the work already handed in (`already_submitted`, whose
 * text replaces the form), else `ready`, as `mephisto-task` left it after a submit.
 */
function mephistoStatus(state: TaskState): TaskStatus {
  if (state.status !== 'submitted') return state.status
  return state.blockedReason === null ? 'ready' : 'blocked'
}
