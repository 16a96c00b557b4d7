// Type tests of remote procedures on the page side (run by `npm test` through
// Vitest's typecheck mode; compiled, never executed): the arguments and result
// types a page gives `remoteProcedure<TArgs, TResult>(name)`, and `call`.
import { describe, expectTypeOf, it } from 'vitest'
import type { CallOptions, LiveConnection, RemoteProcedure, TaskClient } from '@faust/client'

declare const client: TaskClient

interface PredictArgs {
  readonly id: string
  readonly text: string
}

interface Prediction {
  readonly label: 'positive' | 'negative' | 'neutral'
  readonly confidence: number
}

describe('remoteProcedure(name) on the live connection', () => {
  it('is reached as client.live', () => {
    expectTypeOf(client.live).toEqualTypeOf<LiveConnection>()
  })

  it('types the arguments and the result it is given', () => {
    const predict = client.live.remoteProcedure<PredictArgs, Prediction>('predict')
    expectTypeOf(predict).toEqualTypeOf<RemoteProcedure<PredictArgs, Prediction>>()
    expectTypeOf(predict).parameters.toEqualTypeOf<[args?: PredictArgs]>()
    expectTypeOf(predict({ id: 'r1', text: 'ok' })).resolves.toEqualTypeOf<Prediction>()
    expectTypeOf<typeof predict.invoke>().parameters.toEqualTypeOf<[args?: PredictArgs]>()
    expectTypeOf(predict.invoke({ id: 'r1', text: 'ok' })).resolves.toEqualTypeOf<Prediction>()
  })

  it('defaults both to unknown', () => {
    const ping = client.live.remoteProcedure('ping')
    expectTypeOf(ping).toEqualTypeOf<RemoteProcedure>()
    expectTypeOf(ping).toEqualTypeOf<RemoteProcedure<unknown, unknown>>()
    expectTypeOf(ping()).resolves.toBeUnknown()
    expectTypeOf(ping).toBeCallableWith({ anything: 1 })
  })

  it('rejects arguments of the wrong shape and reads of fields the result lacks', () => {
    const predict = client.live.remoteProcedure<PredictArgs, Prediction>('predict')
    // @ts-expect-error text is missing
    void predict({ id: 'r1' })
    // @ts-expect-error id is a string
    void predict.invoke({ id: 1, text: 'ok' })
    void predict({ id: 'r1', text: 'ok' }).then((prediction) => {
      // @ts-expect-error a Prediction has no `evidence`
      void prediction.evidence
    })
  })

  it('needs a name', () => {
    // @ts-expect-error the procedure's name is required
    client.live.remoteProcedure()
    // @ts-expect-error the name is a string
    client.live.remoteProcedure(1)
  })
})

describe('call(target, args, options): the untyped form', () => {
  it('takes any arguments and resolves unknown', () => {
    expectTypeOf<LiveConnection['call']>().parameters.toEqualTypeOf<
      [target: string, args?: unknown, options?: CallOptions]
    >()
    expectTypeOf(client.live.call('ping')).resolves.toBeUnknown()
    expectTypeOf<CallOptions>().toEqualTypeOf<{ readonly timeoutMs?: number }>()
  })
})
