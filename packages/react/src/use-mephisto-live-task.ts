'use client'

import { useEffect, useMemo, useRef } from 'react'
import {
  liveConfigFromReference,
  type ConnectionState,
  type ConnectionStatus,
  type LiveUpdate,
  type ReferenceSocketConfig,
  type RefusalKey,
  type TaskClient,
} from '@faust/client'
import { useTaskFields, type MephistoTask } from './use-mephisto-task.js'
import { useSnapshot } from './use-snapshot.js'
import { useTaskClient } from './use-task-client.js'

/** Props of {@link useMephistoLiveTask}; all are honoured (the reference ignored the last two). */
export interface MephistoLiveTaskProps {
  /** Each status change, once and in order, as `{ status }`. */
  readonly onStatusUpdate?: (update: { readonly status: string }) => void
  /** Each live update from the backend, and `past_live_updates` on registration. */
  readonly onLiveUpdate?: (update: LiveUpdate) => void
  /** Each new `CONNECTION_STATUS` string. */
  readonly onConnectionStatusChange?: (status: ConnectionStatus) => void
  /** The reference's socket timings (`heartbeatTime`, `routerDeadTimeout`, …). */
  readonly config?: ReferenceSocketConfig
}

/** The live connection's part of {@link MephistoLiveTask}. */
export interface MephistoLiveFields {
  /** Opens the socket for `agentId` (default: the registered agent), closing any previous one. */
  readonly connect: (agentId?: string) => void
  /** Closes the socket for good. */
  readonly destroy: () => void
  /** Sends a live update; resolves with the data as sent (with its `update_id`). */
  readonly sendLiveUpdate: (update: LiveUpdate) => Promise<LiveUpdate>
  /** The reference's connection string; `''` before the first connect. */
  readonly connectionStatus: ConnectionStatus
  /** The last status delivered, or null. */
  readonly agentStatus: string | null
  /** The connection state as a discriminated union (Faust). */
  readonly connectionState: ConnectionState
  /** Why the backend refused the worker, by FailureReason key (Faust); null otherwise, or for a text the client does not know. */
  readonly refusal: RefusalKey | null
}

/** What {@link useMephistoLiveTask} returns. */
export type MephistoLiveTask = MephistoTask & MephistoLiveFields

/** The live task hook: a drop-in for `mephisto-task`'s `useMephistoLiveTask(props)`. */
export function useMephistoLiveTask(props: MephistoLiveTaskProps = {}): MephistoLiveTask {
  const { task, live } = useLiveTask(props)
  return useMemo(() => ({ ...task, ...live }), [task, live])
}

/** The parts of a live task, for hooks built on it. */
export function useLiveTask(props: MephistoLiveTaskProps): {
  readonly client: TaskClient
  readonly task: MephistoTask
  readonly live: MephistoLiveFields
} {
  const client = useTaskClient({ live: true })
  const state = useSnapshot(client)
  const task = useTaskFields(client, state)
  const liveState = useSnapshot(client.live)
  // The latest props, read when an event arrives, so that inline callbacks
  // need no re-subscription.
  const latest = useRef(props)
  useEffect(() => {
    latest.current = props
  })
  useEffect(() => {
    const { live } = client
    const stops = [
      live.onStatusUpdate((update) => latest.current.onStatusUpdate?.(update)),
      live.onLiveUpdate((update) => latest.current.onLiveUpdate?.(update)),
      live.onConnectionStatusChange((status) => latest.current.onConnectionStatusChange?.(status)),
    ]
    return () => {
      for (const stop of stops) stop()
    }
  }, [client])
  const { config } = props
  useEffect(() => {
    if (config !== undefined) client.live.configure(liveConfigFromReference(config))
  }, [client, config])
  // As the reference: replay the history whenever the initial data changes.
  useEffect(() => {
    client.live.replayPastLiveUpdates(state.initialTaskData)
  }, [client, state.initialTaskData])
  const handlers = useMemo(
    () => ({
      connect: (agentId?: string) => {
        client.live.connect(agentId)
      },
      destroy: () => {
        client.live.destroy()
      },
      sendLiveUpdate: (update: LiveUpdate) => client.live.sendLiveUpdate(update),
    }),
    [client],
  )
  const live = useMemo(
    () => ({
      ...handlers,
      connectionStatus: liveState.connectionStatus,
      agentStatus: liveState.agentStatus,
      connectionState: liveState.connection,
      refusal: state.refusal ?? null,
    }),
    [handlers, liveState, state.refusal],
  )
  return { client, task, live }
}
