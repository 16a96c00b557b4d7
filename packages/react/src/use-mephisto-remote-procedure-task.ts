'use client'

import { useEffect, useMemo } from 'react'
import type { RemoteProcedure } from '@faust/client'
import {
  useLiveTask,
  type MephistoLiveFields,
  type MephistoLiveTaskProps,
} from './use-mephisto-live-task.js'
import type { MephistoTask } from './use-mephisto-task.js'
import { useSnapshot } from './use-snapshot.js'

/** What {@link useMephistoRemoteProcedureTask} returns. */
export type MephistoRemoteProcedureTask = Omit<MephistoTask, 'agentId'> &
  Omit<MephistoLiveFields, 'connect' | 'destroy' | 'sendLiveUpdate'> & {
    /** The agent the socket speaks for: null until connected. */
    readonly agentId: string | null
    /** The backend procedure `name` as `fn(args)`, also `fn.invoke(args)`. */
    readonly remoteProcedure: <TArgs = unknown, TResult = unknown>(
      name: string,
    ) => RemoteProcedure<TArgs, TResult>
    /** Why procedures fail from now on, as text for the worker; undefined while they work. */
    readonly disconnectIssueText: string | undefined
    /** The live handlers the reference moved out of the way. */
    readonly _fullSocketProps: Pick<MephistoLiveFields, 'connect' | 'destroy' | 'sendLiveUpdate'>
  }

/**
 * The remote procedure hook: a drop-in for `mephisto-task`'s
 * `useMephistoRemoteProcedureTask(props)`. It connects by itself once (and
 * whenever) the worker has an agent id.
 */
export function useMephistoRemoteProcedureTask(
  props: MephistoLiveTaskProps = {},
): MephistoRemoteProcedureTask {
  const { client, task, live } = useLiveTask(props)
  const { agentId: connectedAgentId, disconnectIssueText } = useSnapshot(client.live)
  const registeredAgentId = task.agentId
  useEffect(() => {
    if (registeredAgentId !== null) client.live.connect(registeredAgentId)
  }, [client, registeredAgentId])
  return useMemo(() => {
    const { connect, destroy, sendLiveUpdate, ...liveFields } = live
    return {
      ...task,
      ...liveFields,
      agentId: connectedAgentId,
      remoteProcedure: <TArgs, TResult>(name: string) =>
        client.live.remoteProcedure<TArgs, TResult>(name),
      disconnectIssueText,
      _fullSocketProps: { connect, destroy, sendLiveUpdate },
    }
  }, [client, task, live, connectedAgentId, disconnectIssueText])
}
