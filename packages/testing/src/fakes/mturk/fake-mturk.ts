import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { systemClock, type Clock } from '@faust/protocol'
import { assignmentOperations, assignmentView } from './fake-mturk-assignments.js'
import { hitOperations, hitView } from './fake-mturk-hits.js'
import { FakeMturkState } from './fake-mturk-state.js'
import { fakeWorkers, type FakeMturkWorkers } from './fake-mturk-worker-side.js'
import { workerOperations } from './fake-mturk-workers.js'
import { faultFor, MturkFault } from './mturk-fault.js'
import { centsToDollars, type Params } from './mturk-params.js'

// A local stand-in for the MTurk requester API (AWS JSON 1.1: POST / with
// `X-Amz-Target: MTurkRequesterServiceV20170117.<Operation>` and
// `Content-Type: application/x-amz-json-1.1`), for the real
// @aws-sdk/client-mturk pointed at it through its endpoint setting. SigV4
// signatures are not verified, but a request must carry an Authorization
// header of SigV4's shape and X-Amz-Date, as the SDK sends. It also plays
// MTurk's worker side: accepting HITs (the page URL with MTurk's parameters)
// and the `POST /mturk/externalSubmit` receiver the page hands in to.

const TARGET_PREFIX = 'MTurkRequesterServiceV20170117.'
const CONTENT_TYPE = 'application/x-amz-json-1.1'
const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[a-z0-9-]+\/[a-z0-9-]+\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/

type Operation = (state: FakeMturkState, params: Params, pageSize: number) => object
const OPERATIONS: Readonly<Record<string, Operation>> = {
  ...hitOperations,
  ...assignmentOperations,
  ...workerOperations,
}

/** A failure the next matching request gets instead of (or after) being handled. */
export type FakeMturkFailure =
  | {
      readonly operation?: string
      /** `ServiceUnavailable` (503), `ThrottlingException` (400), `ServiceFault` (500), `RequestError` (400), or any name. */
      readonly error: string
      readonly status?: number
      /** How many matching requests fail (default 1). */
      readonly times?: number
    }
  | {
      readonly operation?: string
      /** Handle the request, then drop the connection without an answer (a lost reply). */
      readonly dropAfterProcessing: true
      readonly times?: number
    }

export interface FakeMturkRequest {
  readonly operation: string
  readonly params: Params
}

export interface FakeMturkOptions {
  readonly clock?: Clock
  /** The most items a list call returns per page (MTurk allows 100). */
  readonly pageSize?: number
  readonly balanceCents?: number
}

export interface FakeMturk {
  /** The requester endpoint (for the SDK's `endpoint` or AWS_ENDPOINT_URL_MTURK). */
  readonly endpoint: string
  /** What MTurk passes as `turkSubmitTo` (the page posts to `<it>/mturk/externalSubmit`). */
  readonly externalSubmitUrl: string
  readonly workers: FakeMturkWorkers
  close(): Promise<void>
  requests(): readonly FakeMturkRequest[]
  failNext(failure: FakeMturkFailure): void
  hits(): Record<string, unknown>[]
  assignments(): (Record<string, unknown> & { AssignmentStatus: string })[]
  bonuses(): {
    WorkerId: string
    AssignmentId: string
    BonusAmount: string
    Reason: string
    UniqueRequestToken?: string
  }[]
  blocks(): { WorkerId: string; Reason: string }[]
  qualifications(): { Name: string; QualificationTypeId: string; workers: Record<string, number> }[]
  notifications(): readonly { Subject: string; MessageText: string; WorkerIds: string[] }[]
  balanceCents(): number
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function answer(response: ServerResponse, status: number, body: object, errorType?: string): void {
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPE,
    'x-amzn-requestid': randomUUID(),
  }
  if (errorType !== undefined) headers['x-amzn-errortype'] = errorType
  response.writeHead(status, headers).end(JSON.stringify(body))
}

interface ApiHandler {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>
  readonly log: FakeMturkRequest[]
  failNext(failure: FakeMturkFailure): void
}

/** Checks the envelope; answers a refusal and returns null, or the operation and its parameters. */
function envelope(
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
): { operation: string; run: Operation; params: Params } | null {
  const target = request.headers['x-amz-target']
  const operation =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX)
      ? target.slice(TARGET_PREFIX.length)
      : ''
  if (
    !SIGV4.test(request.headers.authorization ?? '') ||
    request.headers['x-amz-date'] === undefined
  ) {
    answer(response, 403, {
      __type: 'MissingAuthenticationTokenException',
      Message: 'Missing Authentication Token',
    })
    return null
  }
  if (!(request.headers['content-type'] ?? '').startsWith(CONTENT_TYPE)) {
    answer(response, 400, {
      __type: 'SerializationException',
      Message: `Content-Type must be ${CONTENT_TYPE}`,
    })
    return null
  }
  const run = OPERATIONS[operation]
  if (run === undefined) {
    answer(response, 400, {
      __type: 'UnknownOperationException',
      Message: `Unknown operation ${operation}`,
    })
    return null
  }
  try {
    return { operation, run, params: JSON.parse(body === '' ? '{}' : body) as Params }
  } catch {
    answer(response, 400, { __type: 'SerializationException', Message: 'Body is not JSON' })
    return null
  }
}

function apiHandler(state: FakeMturkState, pageSize: number): ApiHandler {
  const log: FakeMturkRequest[] = []
  const failures: (FakeMturkFailure & { left: number })[] = []
  const takeFailure = (operation: string): FakeMturkFailure | undefined => {
    const index = failures.findIndex((f) => f.operation === undefined || f.operation === operation)
    const failure = failures[index]
    if (failure === undefined) return undefined
    failure.left -= 1
    if (failure.left <= 0) failures.splice(index, 1)
    return failure
  }
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const parsed = envelope(request, await readBody(request), response)
    if (parsed === null) return
    log.push({ operation: parsed.operation, params: parsed.params })
    const failure = takeFailure(parsed.operation)
    if (failure !== undefined && 'error' in failure) {
      const fault = faultFor(failure.error, failure.status)
      answer(response, fault.status, fault.body(), fault.type)
      return
    }
    try {
      state.currentRequestId = randomUUID()
      state.settle()
      const result = parsed.run(state, parsed.params, pageSize)
      if (failure !== undefined) response.socket?.destroy()
      else answer(response, 200, result)
    } catch (error) {
      if (!(error instanceof MturkFault)) throw error
      answer(response, error.status, error.body(), error.type)
    }
  }
  return {
    handle,
    log,
    failNext: (failure) => failures.push({ ...failure, left: failure.times ?? 1 }),
  }
}

type Inspection = Pick<
  FakeMturk,
  | 'hits'
  | 'assignments'
  | 'bonuses'
  | 'blocks'
  | 'qualifications'
  | 'notifications'
  | 'balanceCents'
>

function inspection(state: FakeMturkState): Inspection {
  return {
    hits: () => {
      state.settle()
      return [...state.hits.values()].map((hit) => hitView(state, hit))
    },
    assignments: () => {
      state.settle()
      return [...state.assignments.values()].map((a) => ({
        ...assignmentView(a),
        AssignmentStatus: a.state,
      }))
    },
    bonuses: () =>
      state.bonuses.map((bonus) => ({
        WorkerId: bonus.WorkerId,
        AssignmentId: bonus.AssignmentId,
        BonusAmount: centsToDollars(bonus.bonusCents),
        Reason: bonus.Reason,
        ...(bonus.UniqueRequestToken === undefined
          ? {}
          : { UniqueRequestToken: bonus.UniqueRequestToken }),
      })),
    blocks: () => [...state.blocks].map(([WorkerId, Reason]) => ({ WorkerId, Reason })),
    qualifications: () =>
      [...state.qualificationTypes.values()].map((type) => {
        const prefix = `${type.QualificationTypeId} `
        const held = [...state.scores].filter(([key]) => key.startsWith(prefix))
        return {
          Name: type.Name,
          QualificationTypeId: type.QualificationTypeId,
          workers: Object.fromEntries(
            held.map(([key, value]) => [key.slice(prefix.length), value]),
          ),
        }
      }),
    notifications: () => [...state.notifications],
    balanceCents: () => state.balanceCents,
  }
}

/** Starts the fake on 127.0.0.1, a free port. */
export async function startFakeMturk(options: FakeMturkOptions = {}): Promise<FakeMturk> {
  const state = new FakeMturkState(options.clock ?? systemClock, options.balanceCents ?? 1_000_000)
  const api = apiHandler(state, options.pageSize ?? 100)
  let externalSubmitUrl = ''
  const workers = fakeWorkers(state, () => externalSubmitUrl)
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    let handled: Promise<void>
    if (request.method === 'POST' && path === '/mturk/externalSubmit') {
      handled = workers.receiveExternalSubmit(request, response, readBody)
    } else if (request.method === 'POST' && path === '/') handled = api.handle(request, response)
    else handled = Promise.resolve(void response.writeHead(404).end())
    handled.catch((error: unknown) => {
      if (!response.headersSent)
        answer(response, 500, { __type: 'InternalFailure', Message: String(error) })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const endpoint = `http://127.0.0.1:${port}`
  externalSubmitUrl = endpoint
  return {
    endpoint,
    externalSubmitUrl,
    workers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    requests: () => [...api.log],
    failNext: (failure) => api.failNext(failure),
    ...inspection(state),
  }
}
