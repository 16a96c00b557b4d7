'use client'

import { useMemo } from 'react'
import type {
  ClientMessages,
  RefusalKey,
  SubmissionState,
  TaskClient,
  TaskState,
} from '@faust/client'
import { useTaskFields, type MephistoTask } from './use-mephisto-task.js'
import { useSnapshot } from './use-snapshot.js'
import { useTaskClient } from './use-task-client.js'

const IDLE: SubmissionState = { state: 'idle', attempts: 0, error: null }

/**
 * What {@link useFaustTask} returns: {@link MephistoTask}'s fields, plus the
 * client's whole state for pages written for Faust.
 */
export interface FaustTask extends MephistoTask {
  /** The client's state; its `status` may be `submitted`, which `status` above reports as `ready` or `blocked`. */
  readonly state: TaskState
  /** Where the task submission is: `idle`, `saving` (retried until acknowledged), `saved` or `failed`. */
  readonly submission: SubmissionState
  /** The handed-in answer once `state.status` is `submitted`, when known; else null. */
  readonly submittedData: unknown
  /** Sends a `failed` submission that was not refused again, with its key. */
  readonly retrySubmission: () => void
  /** The client, for what the fields do not cover (`client.live`, …). */
  readonly client: TaskClient
  /** The worker-facing texts in the task's language (`taskConfig.locale` and `taskConfig.messages`). */
  readonly messages: ClientMessages
  /** Why the backend refused the worker, by FailureReason key; null otherwise, or for a text the client does not know. */
  readonly refusal: RefusalKey | null
}

/**
 * `useMephistoTask` for new pages: the same fields and client (the
 * `FaustProvider`'s, or one of its own), plus every state a worker can be in,
 * to render with `TaskStatusScreen` or by hand.
 */
export function useFaustTask(): FaustTask {
  const client = useTaskClient()
  const state = useSnapshot(client)
  const fields = useTaskFields(client, state)
  return useMemo(
    () => ({
      ...fields,
      state,
      submission: state.submission ?? IDLE,
      submittedData: state.submittedData ?? null,
      retrySubmission: () => void client.retrySubmission()?.catch(() => undefined),
      client,
      messages: client.messages,
      refusal: state.refusal ?? null,
    }),
    [fields, state, client],
  )
}
