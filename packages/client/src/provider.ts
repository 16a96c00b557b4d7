import { ClientError } from './client-error.js'

/**
 * The registration data a crowd provider hands to `/request_agent`: at least
 * the worker's name and `<assignment>-<worker>`; providers add their own keys.
 */
export interface ProviderRegistration {
  readonly worker_name: string
  readonly agent_registration_id: string
  readonly [key: string]: unknown
}

/** Extra query parameters a provider adds to every request (`getProviderURLParams`). */
export type ProviderUrlParams = Readonly<Record<string, string | number | boolean>>

/**
 * The crowd provider's contract: what Mephisto's `wrap_crowd_source.js`
 * defines as globals (`getWorkerName`, `getAssignmentId`,
 * `getAgentRegistration`, `handleSubmitToProvider`, `getProviderURLParams`).
 */
export interface TaskProvider {
  /** The provider's worker id, or null (a preview). */
  getWorkerName(): string | null
  /** The provider's assignment id, or null (a preview). */
  getAssignmentId(): string | null
  /** The data sent to `/request_agent`. */
  getAgentRegistration(): ProviderRegistration
  /** Tells the provider the task is done (MTurk form post, Prolific redirect, …). */
  handleSubmitToProvider(finalData: unknown): void
  /** Query parameters added to every request, if any. */
  getProviderURLParams(): ProviderUrlParams | null
}

type Globals = Readonly<Record<string, unknown>>

/**
 * The provider defined by `wrap_crowd_source.js` as globals on `scope`
 * (default `globalThis`). Globals are looked up at each call, so the script
 * may load after this module. A missing `getWorkerName` or `getAssignmentId`
 * reads as null (a preview); a missing `getAgentRegistration` or
 * `handleSubmitToProvider` throws a `PROVIDER` {@link ClientError} when needed.
 */
export function globalProvider(scope: object = globalThis): TaskProvider {
  const globals = scope as Globals
  const call = (name: string, ...args: unknown[]): unknown => {
    const fn = globals[name]
    if (typeof fn !== 'function') {
      throw new ClientError('PROVIDER', `the provider script did not define ${name}()`)
    }
    return (fn as (...args: unknown[]) => unknown)(...args)
  }
  const optionalId = (name: string): string | null => {
    if (typeof globals[name] !== 'function') return null
    const value = call(name) as string | number | null | undefined
    return value === null || value === undefined ? null : String(value)
  }
  return {
    getWorkerName: () => optionalId('getWorkerName'),
    getAssignmentId: () => optionalId('getAssignmentId'),
    getAgentRegistration: () => call('getAgentRegistration') as ProviderRegistration,
    handleSubmitToProvider: (finalData) => {
      call('handleSubmitToProvider', finalData)
    },
    getProviderURLParams: () => {
      // The reference accepts a function or a plain object here.
      const params = globals['getProviderURLParams']
      const value: unknown = typeof params === 'function' ? call('getProviderURLParams') : params
      return typeof value === 'object' && value !== null ? (value as ProviderUrlParams) : null
    },
  }
}

/**
 * The mock provider's identity for a page outside a browser (a bot, a test):
 * worker `workerName` on `assignmentId`, registered as
 * `<assignment>-<worker>` as every shipped provider does (docs/protocol.md
 * §4.5), so the same pair again is a reload of the same page.
 */
export function mockWorkerProvider(workerName: string, assignmentId: string): TaskProvider {
  return {
    getWorkerName: () => workerName,
    getAssignmentId: () => assignmentId,
    getAgentRegistration: () => ({
      worker_name: workerName,
      agent_registration_id: `${assignmentId}-${workerName}`,
      assignment_id: assignmentId,
      provider_type: 'mock',
    }),
    handleSubmitToProvider: () => undefined,
    getProviderURLParams: () => null,
  }
}
