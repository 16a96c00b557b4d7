// Type tests of a task's `remoteProcedures` on the backend side: what a
// procedure receives and what `defineTask` accepts. The page side (typed
// arguments and results) is in packages/client/src/remote-procedure.test-d.ts
// and packages/react/src/hooks.test-d.ts.
import { describe, expectTypeOf, it } from 'vitest'
import {
  defineTask,
  type RemoteCall,
  type RemoteProcedure,
  type RemoteProcedures,
  type UnitInfo,
  type WorkerInfo,
} from '@faust/backend'

const data = [{ id: 'r1', text: 'Great phone.' }]

describe('remote procedures in defineTask', () => {
  it('receive the page’s arguments as a JSON object and the call', () => {
    defineTask({
      name: 'rpc',
      taskType: 'remote-procedure',
      page: 'dist',
      data,
      remoteProcedures: {
        predict: (args, call) => {
          expectTypeOf(args).toEqualTypeOf<Record<string, unknown>>()
          expectTypeOf(call).toEqualTypeOf<RemoteCall>()
          expectTypeOf(call.worker).toEqualTypeOf<WorkerInfo>()
          expectTypeOf(call.unit).toEqualTypeOf<UnitInfo | null>()
          expectTypeOf(call.onboarding).toEqualTypeOf<{ readonly data: unknown } | null>()
          expectTypeOf(call.signal).toEqualTypeOf<AbortSignal>()
          expectTypeOf(call.requestId).toBeString()
          expectTypeOf(call.target).toBeString()
          return { label: 'positive' }
        },
      },
    })
  })

  it('may answer with any value, a promise, or nothing', () => {
    const procedures = {
      sync: () => 1,
      async: () => Promise.resolve({ ok: true }),
      none: () => undefined,
      withSignal: async (_args: Record<string, unknown>, call: RemoteCall) => {
        call.signal.throwIfAborted()
        return Promise.resolve('done')
      },
    } satisfies RemoteProcedures
    defineTask({ name: 'rpc', page: 'dist', data, remoteProcedures: procedures })
    expectTypeOf<RemoteProcedure>().returns.toBeUnknown()
    expectTypeOf<RemoteProcedure>().parameters.toEqualTypeOf<
      [args: Record<string, unknown>, call: RemoteCall]
    >()
  })

  it('rejects a procedure that demands typed arguments: the page’s JSON is unchecked', () => {
    defineTask({
      name: 'rpc',
      page: 'dist',
      data,
      remoteProcedures: {
        // @ts-expect-error args is Record<string, unknown>; narrow it at run time
        predict: (args: { text: string }) => args.text.length,
      },
    })
  })

  it('rejects something other than a function, and a third parameter', () => {
    // @ts-expect-error each procedure is a function
    defineTask({ name: 'rpc', page: 'dist', data, remoteProcedures: { predict: 'model' } })
    defineTask({
      name: 'rpc',
      page: 'dist',
      data,
      remoteProcedures: {
        // @ts-expect-error a procedure takes (args, call) only
        predict: (_args: Record<string, unknown>, _call: RemoteCall, extra: string) => extra,
      },
    })
  })

  it('keeps the procedures on the definition', () => {
    const task = defineTask({ name: 'rpc', page: 'dist', data, remoteProcedures: { a: () => 1 } })
    expectTypeOf(task.remoteProcedures).toEqualTypeOf<RemoteProcedures>()
    expectTypeOf(task.remoteProcedureTimeoutSeconds).toBeNumber()
    expectTypeOf(task.remoteProcedureMaxInFlight).toBeNumber()
  })
})
