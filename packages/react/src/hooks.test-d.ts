// Type tests of the hooks' public types (run by `npm test` through Vitest's
// typecheck mode; compiled, never executed, so no hook is really called):
// what each returns and which arguments and type arguments it takes.
import { describe, expectTypeOf, it } from 'vitest'
import type {
  BlockedReason,
  ClientError,
  ConnectionState,
  ConnectionStatus,
  LiveUpdate,
  RemoteProcedure,
  TaskConfig,
  TaskState,
  TaskStatus,
} from '@faust/client'
import {
  useMephistoLiveTask,
  useMephistoRemoteProcedureTask,
  useMephistoTask,
  type MephistoLiveFields,
  type MephistoLiveTask,
  type MephistoLiveTaskProps,
  type MephistoRemoteProcedureTask,
  type MephistoTask,
} from '@faust/react'

describe('useMephistoTask', () => {
  it('takes no arguments and no type arguments', () => {
    expectTypeOf(useMephistoTask).parameters.toEqualTypeOf<[]>()
    // @ts-expect-error not generic: initialTaskData is unknown, narrowed by the page
    expectTypeOf(useMephistoTask<{ text: string }>).toBeFunction()
  })

  it('returns mephisto-task’s fields, typed', () => {
    expectTypeOf(useMephistoTask).returns.toEqualTypeOf<MephistoTask>()
    expectTypeOf<MephistoTask['initialTaskData']>().toBeUnknown()
    expectTypeOf<MephistoTask['agentId']>().toEqualTypeOf<string | null>()
    expectTypeOf<MephistoTask['isOnboarding']>().toEqualTypeOf<boolean | null>()
    expectTypeOf<MephistoTask['taskConfig']>().toEqualTypeOf<TaskConfig | null>()
    expectTypeOf<MephistoTask['blockedReason']>().toEqualTypeOf<BlockedReason | null>()
    expectTypeOf<MephistoTask['previewHtml']>().toBeNull()
    expectTypeOf<MephistoTask['handleSubmit']>().toEqualTypeOf<(data: unknown) => Promise<void>>()
    expectTypeOf<MephistoTask['handleMetadataSubmit']>().toEqualTypeOf<
      (...items: unknown[]) => Promise<unknown>
    >()
  })

  it('adds Faust’s status, error and retry', () => {
    expectTypeOf<MephistoTask['status']>().toEqualTypeOf<TaskStatus>()
    expectTypeOf<TaskStatus>().toEqualTypeOf<
      'loading' | 'preview' | 'ready' | 'blocked' | 'error'
    >()
    expectTypeOf<MephistoTask['error']>().toEqualTypeOf<ClientError | null>()
    expectTypeOf<MephistoTask['retry']>().toEqualTypeOf<() => Promise<TaskState>>()
  })

  it('is read-only', () => {
    const task = useMephistoTask()
    // @ts-expect-error the fields are readonly
    task.agentId = 'a'
  })
})

describe('useMephistoLiveTask', () => {
  it('takes optional props', () => {
    expectTypeOf(useMephistoLiveTask).parameters.toEqualTypeOf<[props?: MephistoLiveTaskProps]>()
    expectTypeOf(useMephistoLiveTask).toBeCallableWith()
    expectTypeOf(useMephistoLiveTask).toBeCallableWith({
      onLiveUpdate: (update) => {
        expectTypeOf(update).toEqualTypeOf<LiveUpdate>()
      },
      onStatusUpdate: ({ status }) => {
        expectTypeOf(status).toBeString()
      },
      onConnectionStatusChange: (status) => {
        expectTypeOf(status).toEqualTypeOf<ConnectionStatus>()
      },
      config: { heartbeatTime: 5000 },
    })
  })

  it('rejects unknown props and a live update that is not an object', () => {
    // @ts-expect-error not a prop (mephisto-task calls it onLiveUpdate)
    useMephistoLiveTask({ onMessage: () => undefined })
    // @ts-expect-error a live update is an object, never a string
    useMephistoLiveTask({ onLiveUpdate: (update: string) => update })
    const live = useMephistoLiveTask()
    // @ts-expect-error a live update is a JSON object
    void live.sendLiveUpdate('hello')
  })

  it('returns the task’s fields and the live connection’s', () => {
    expectTypeOf(useMephistoLiveTask).returns.toEqualTypeOf<MephistoLiveTask>()
    expectTypeOf<MephistoLiveTask>().toEqualTypeOf<MephistoTask & MephistoLiveFields>()
    expectTypeOf<MephistoLiveTask['sendLiveUpdate']>().toEqualTypeOf<
      (update: LiveUpdate) => Promise<LiveUpdate>
    >()
    expectTypeOf<MephistoLiveTask['connect']>().toEqualTypeOf<(agentId?: string) => void>()
    expectTypeOf<MephistoLiveTask['connectionState']>().toEqualTypeOf<ConnectionState>()
    expectTypeOf<MephistoLiveTask['agentStatus']>().toEqualTypeOf<string | null>()
  })
})

describe('useMephistoRemoteProcedureTask', () => {
  it('takes the live task’s optional props', () => {
    expectTypeOf(useMephistoRemoteProcedureTask).parameters.toEqualTypeOf<
      [props?: MephistoLiveTaskProps]
    >()
    expectTypeOf(
      useMephistoRemoteProcedureTask,
    ).returns.toEqualTypeOf<MephistoRemoteProcedureTask>()
  })

  it('gives typed procedures: arguments and result from the type arguments', () => {
    const { remoteProcedure } = useMephistoRemoteProcedureTask()
    const predict = remoteProcedure<{ text: string }, { label: string }>('predict')
    expectTypeOf(predict).toEqualTypeOf<RemoteProcedure<{ text: string }, { label: string }>>()
    expectTypeOf(predict({ text: 'ok' })).resolves.toEqualTypeOf<{ label: string }>()
    expectTypeOf(predict.invoke({ text: 'ok' })).resolves.toEqualTypeOf<{ label: string }>()
    expectTypeOf(remoteProcedure('ping')).toEqualTypeOf<RemoteProcedure<unknown, unknown>>()
    // @ts-expect-error text is a string
    void predict({ text: 1 })
  })

  it('moves the socket handlers aside, as the reference does', () => {
    expectTypeOf<MephistoRemoteProcedureTask>().not.toHaveProperty('sendLiveUpdate')
    expectTypeOf<MephistoRemoteProcedureTask>().not.toHaveProperty('connect')
    expectTypeOf<MephistoRemoteProcedureTask>().not.toHaveProperty('destroy')
    expectTypeOf<MephistoRemoteProcedureTask['_fullSocketProps']>().toEqualTypeOf<
      Pick<MephistoLiveFields, 'connect' | 'destroy' | 'sendLiveUpdate'>
    >()
    expectTypeOf<MephistoRemoteProcedureTask['agentId']>().toEqualTypeOf<string | null>()
    expectTypeOf<MephistoRemoteProcedureTask['disconnectIssueText']>().toEqualTypeOf<
      string | undefined
    >()
    expectTypeOf<MephistoRemoteProcedureTask>().toHaveProperty('connectionState')
  })
})
