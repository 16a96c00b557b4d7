/**
 * The backend's closed set of error codes: every error the backend raises
 * carries one as `code`, so callers (the CLI, a task's own code, logs) can
 * tell failures apart without matching messages. Each is described in
 * `docs/errors.md` (section "Backend errors"); a test checks that page.
 */
export const BackendErrorCode = {
  /** `defineTask` got an option it cannot accept; the message names the option. */
  TASK_DEFINITION_INVALID: 'TASK_DEFINITION_INVALID',
  /** A task of the same name is already stored with another task type. */
  TASK_TYPE_MISMATCH: 'TASK_TYPE_MISMATCH',
  /** A task's data file has the wrong extension, cannot be parsed, or does not hold a list. */
  TASK_DATA_INVALID: 'TASK_DATA_INVALID',
  /** A task's data (a file or a list) holds no items, so there is nothing to run. */
  TASK_DATA_EMPTY: 'TASK_DATA_EMPTY',
  /** The task's data differs from the items of the unfinished run it would resume. */
  RUN_DATA_CHANGED: 'RUN_DATA_CHANGED',
  /** The store refused a value before writing it (a run id, a pay, an index, an option). */
  STORE_VALUE_INVALID: 'STORE_VALUE_INVALID',
  /** SQLite would not switch the database to write-ahead logging. */
  DATABASE_NOT_WAL: 'DATABASE_NOT_WAL',
  /** A schema migration failed; the database is left at the last migration that succeeded. */
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  /** A row written a moment ago could not be read back: something else changed the database. */
  STORE_INCONSISTENT: 'STORE_INCONSISTENT',
  /** A submission named a file that is not a plain file name (a path, a dot file). */
  UPLOAD_NAME_INVALID: 'UPLOAD_NAME_INVALID',
  /** The router did not hand over an uploaded file (an HTTP error status). */
  UPLOAD_DOWNLOAD_FAILED: 'UPLOAD_DOWNLOAD_FAILED',
  /** The router could not be reached within `connectTimeoutMs`. */
  ROUTER_UNREACHABLE: 'ROUTER_UNREACHABLE',
  /** A row the run relies on (an agent's unit or worker) is gone from the store. */
  RUN_STATE_LOST: 'RUN_STATE_LOST',
  /** The requester declined the cost quote of a paid platform: nothing was published. */
  PUBLISH_DECLINED: 'PUBLISH_DECLINED',
  /** The run ended while a remote procedure was running (the reason of its abort signal). */
  RUN_ENDED: 'RUN_ENDED',
  /** A live run change cannot be applied (an unknown setting, a value the task cannot run with, bad items). */
  RUN_CHANGE_INVALID: 'RUN_CHANGE_INVALID',
  /** No stored run has the id (or the task no run) a run change named. */
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  /** A process holds the run's lease but did not apply the change in time. */
  RUN_NOT_RESPONDING: 'RUN_NOT_RESPONDING',
  /** The operator actions were made without a way to change runs (no `changeRun` was given). */
  RUN_CHANGE_UNAVAILABLE: 'RUN_CHANGE_UNAVAILABLE',
  /** No run of the task was published on a crowd platform, or the run named was not. */
  RUN_NOT_PUBLISHED: 'RUN_NOT_PUBLISHED',
  /** No stored task has the name an operator action named. */
  TASK_NOT_FOUND: 'TASK_NOT_FOUND',
  /** A remote procedure ran past its timeout (the reason of its abort signal). */
  PROCEDURE_TIMEOUT: 'PROCEDURE_TIMEOUT',
  /** A live agent sent nothing within its timeout. */
  AGENT_TIMED_OUT: 'AGENT_TIMED_OUT',
  /** A live agent (or its partner) left: disconnected, returned, expired. */
  AGENT_DISCONNECTED: 'AGENT_DISCONNECTED',
  /** The run is stopping, so a live agent's wait ends. */
  RUN_STOPPING: 'RUN_STOPPING',
  /** A crowd platform's credentials are missing (no token in the environment, no AWS credentials). */
  PROVIDER_AUTH_MISSING: 'PROVIDER_AUTH_MISSING',
  /** A crowd platform refused the credentials (401 / 403, or the SDK's equivalent). */
  PROVIDER_AUTH_FAILED: 'PROVIDER_AUTH_FAILED',
  /** A crowd platform refused a request as invalid (400 / 422, a validation error). */
  PROVIDER_REQUEST_INVALID: 'PROVIDER_REQUEST_INVALID',
  /** A crowd platform does not know the study, HIT, submission or assignment named. */
  PROVIDER_NOT_FOUND: 'PROVIDER_NOT_FOUND',
  /** A crowd platform refused a change in the object's present state (e.g. approving a returned submission). */
  PROVIDER_CONFLICT: 'PROVIDER_CONFLICT',
  /** The account lacks the funds for the listing or the payment. */
  PROVIDER_INSUFFICIENT_FUNDS: 'PROVIDER_INSUFFICIENT_FUNDS',
  /** A crowd platform stayed unavailable (429, 5xx, timeouts) through every retry. */
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  /** A crowd platform's answer could not be understood. */
  PROVIDER_RESPONSE_INVALID: 'PROVIDER_RESPONSE_INVALID',
} as const

/** One of the {@link BackendErrorCode} strings. */
export type BackendErrorCode = (typeof BackendErrorCode)[keyof typeof BackendErrorCode]

type Code<K extends keyof typeof BackendErrorCode> = (typeof BackendErrorCode)[K]

/** Options every backend error takes. */
export interface BackendErrorOptions {
  readonly cause?: unknown
}

/** A task's options cannot be used; a `TypeError`, as it was before codes. */
export class TaskDefinitionError extends TypeError {
  override readonly name = 'TaskDefinitionError'
  readonly code: Code<'TASK_DEFINITION_INVALID' | 'TASK_TYPE_MISMATCH'>

  constructor(code: TaskDefinitionError['code'], message: string) {
    super(message)
    this.code = code
  }
}

/** A task's data cannot be used; a `TypeError`, as it was before codes. */
export class TaskDataError extends TypeError {
  override readonly name = 'TaskDataError'
  readonly code: Code<'TASK_DATA_INVALID' | 'TASK_DATA_EMPTY' | 'RUN_DATA_CHANGED'>

  constructor(code: TaskDataError['code'], message: string, options?: BackendErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** The store refused a value before any write; a `RangeError`, as it was before codes. */
export class StoreValueError extends RangeError {
  override readonly name = 'StoreValueError'
  readonly code = BackendErrorCode.STORE_VALUE_INVALID
}

/** The database could not be opened, migrated or read back consistently. */
export class StoreError extends Error {
  override readonly name = 'StoreError'
  readonly code: Code<'DATABASE_NOT_WAL' | 'MIGRATION_FAILED' | 'STORE_INCONSISTENT'>

  constructor(code: StoreError['code'], message: string, options?: BackendErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** A submission's file could not be brought into the run's folder. */
export class UploadError extends Error {
  override readonly name = 'UploadError'
  readonly code: Code<'UPLOAD_NAME_INVALID' | 'UPLOAD_DOWNLOAD_FAILED'>

  constructor(code: UploadError['code'], message: string, options?: BackendErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** A running task cannot go on as it was (or a procedure's wait ends with it). */
export class RunError extends Error {
  override readonly name = 'RunError'
  readonly code: Code<
    | 'ROUTER_UNREACHABLE'
    | 'RUN_STATE_LOST'
    | 'RUN_ENDED'
    | 'PROCEDURE_TIMEOUT'
    | 'PUBLISH_DECLINED'
    | 'RUN_CHANGE_INVALID'
    | 'RUN_NOT_FOUND'
    | 'RUN_NOT_RESPONDING'
    | 'RUN_CHANGE_UNAVAILABLE'
    | 'RUN_NOT_PUBLISHED'
    | 'TASK_NOT_FOUND'
  >

  constructor(code: RunError['code'], message: string, options?: BackendErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/**
 * A crowd platform (Prolific, MTurk) call failed. `retryable` says whether
 * the same call may succeed later (the platform was unavailable), as opposed
 * to a refusal that no retry changes. `status` is the HTTP status when there
 * was one; `providerCode` the platform's own error name or code.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError'
  readonly code: Code<
    | 'PROVIDER_AUTH_MISSING'
    | 'PROVIDER_AUTH_FAILED'
    | 'PROVIDER_REQUEST_INVALID'
    | 'PROVIDER_NOT_FOUND'
    | 'PROVIDER_CONFLICT'
    | 'PROVIDER_INSUFFICIENT_FUNDS'
    | 'PROVIDER_UNAVAILABLE'
    | 'PROVIDER_RESPONSE_INVALID'
  >
  readonly retryable: boolean
  readonly status: number | undefined
  readonly providerCode: string | undefined

  constructor(
    code: ProviderError['code'],
    message: string,
    options?: BackendErrorOptions & {
      readonly status?: number | undefined
      readonly providerCode?: string | undefined
    },
  ) {
    super(message, options)
    this.code = code
    this.retryable = code === 'PROVIDER_UNAVAILABLE'
    this.status = options?.status
    this.providerCode = options?.providerCode
  }
}
