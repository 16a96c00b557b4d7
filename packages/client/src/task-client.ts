import {
  FINAL_AGENT_STATUSES,
  MEPHISTO_TASK_VERSION,
  type AgentStatus,
} from '@faust/protocol/constants'
import { getBlockedExplanation, isMobileUserAgent, type BlockedReason } from './blocked-reason.js'
import { messagesForTaskConfig, refusalKeyOf, type ClientMessages } from './messages/index.js'
import { ClientError, toClientError } from './client-error.js'
import { HttpClient, type HttpRequest } from './http-client.js'
import { LiveConnection } from './live-connection.js'
import { PendingSubmissions } from './pending-submission.js'
import { sleep, submissionDelayMs, withRetry } from './retry.js'
import { ObservableState } from './observable-state.js'
import {
  resolveTaskClientOptions,
  type ResolvedTaskClientOptions,
  type TaskClientOptions,
} from './task-client-options.js'
import type { SubmissionState, TaskConfig, TaskState } from './task-state.js'

/** Files for a multipart submission: form field name → file(s). */
export type SubmitFiles = Readonly<Record<string, Blob | readonly Blob[]>>

/** Options of {@link TaskClient.submitTask}. */
export interface SubmitOptions {
  /** Sends multipart: `final_string_data` (the JSON of the data) plus these files. */
  readonly files?: SubmitFiles
}

interface AgentDetails {
  readonly agent_id?: unknown
  readonly worker_id?: unknown
  readonly init_task_data?: unknown
  readonly failure_reason?: unknown
  /** Faust's backend: the agent's stored status, on a registration for an agent that exists. */
  readonly agent_status?: unknown
  /** Faust's backend, when the task shows it: the answer the agent handed in. */
  readonly submitted_data?: unknown
}

/** A submission shown in `submission`: whose it is, and how to send it again. */
interface Tracked {
  readonly agentId: string
  readonly resend: () => Promise<unknown>
}

const IDLE: SubmissionState = { state: 'idle', attempts: 0, error: null }

/** Final statuses of an agent that handed its work in; the other final ones ended without it. */
const HANDED_IN: ReadonlySet<string> = new Set([
  'completed',
  'accepted',
  'approved',
  'rejected',
  'soft_rejected',
])

/** The blocked reason of a submission refused for good (4xx), by the router's code. */
const REFUSALS: Readonly<Record<string, BlockedReason>> = {
  ALREADY_SUBMITTED: 'already_submitted',
  AGENT_UNKNOWN: 'agent_unknown',
}

/**
 * One worker's page: loads `task_config.json`, registers with the router
 * (with a timeout and retries), submits, and owns the live connection
 * (`client.live`). State is a {@link Subscribable} snapshot.
 *
 * @example
 * const client = createTaskClient()
 * client.subscribe(() => render(client.getSnapshot()))
 * await client.start()
 */
export class TaskClient extends ObservableState<TaskState> {
  /** The live connection for live and remote-procedure tasks; opened by `live.connect()`. */
  readonly live: LiveConnection
  readonly #options: ResolvedTaskClientOptions
  readonly #http: HttpClient
  readonly #pending: PendingSubmissions
  #run: AbortController | null = null
  #started: Promise<TaskState> | null = null
  /** Aborted by `stop()`: ends the retries of submissions under way. */
  #submitting = new AbortController()
  #taskSubmission: Promise<unknown> | null = null
  /** Sends the last failed submission again (`retrySubmission()`), with its key. */
  #resend: (() => Promise<unknown>) | null = null

  constructor(options: TaskClientOptions = {}) {
    const resolved = resolveTaskClientOptions(options)
    const providerWorkerId = resolved.provider.getWorkerName()
    const assignmentId = resolved.provider.getAssignmentId()
    super({
      status: 'loading',
      providerWorkerId,
      assignmentId,
      isPreview: providerWorkerId === null || assignmentId === null,
      taskConfig: null,
      mephistoWorkerId: null,
      agentId: null,
      mephistoAgentId: null,
      isOnboarding: null,
      initialTaskData: null,
      blockedReason: null,
      blockedExplanation: null,
      loaded: false,
      error: null,
    })
    this.#options = resolved
    this.#pending = new PendingSubmissions(resolved.storage, resolved.warn)
    this.#http = new HttpClient({
      fetch: resolved.fetch,
      baseUrl: resolved.baseUrl,
      clock: resolved.clock,
      timeoutMs: resolved.requestTimeoutMs,
      urlParams: () => resolved.provider.getProviderURLParams(),
    })
    this.live = new LiveConnection({
      socketUrl: resolved.socketUrl,
      WebSocket: resolved.WebSocket,
      clock: resolved.clock,
      generateId: resolved.generateId,
      retryDelayMs: resolved.retryDelayMs,
      config: resolved.liveConfig,
      task: this.getSnapshot,
      messages: () => this.messages,
      onUnsupported: () => {
        this.#block('no_websockets')
      },
    })
  }

  /**
   * The worker-facing texts in the task's language (`taskConfig.locale`, with
   * `taskConfig.messages` over the catalogue); English until the config is
   * loaded, and for a backend that sets no locale.
   */
  get messages(): ClientMessages {
    const { taskConfig } = this.getSnapshot()
    if (this.#messages?.config !== taskConfig) {
      this.#messages = { config: taskConfig, messages: messagesForTaskConfig(taskConfig) }
    }
    return this.#messages.messages
  }

  #messages: { config: TaskConfig | null; messages: ClientMessages } | null = null

  /**
   * Loads the config and registers (previews never register). Resolves with
   * the settled state: `preview`, `ready`, `blocked` or `error`. Calling it
   * again returns the same run.
   */
  start(): Promise<TaskState> {
    return (this.#started ??= this.#load())
  }

  /** After an `error`, starts over; otherwise the same as {@link start}. */
  retry(): Promise<TaskState> {
    if (this.getSnapshot().status === 'error') this.#started = null
    return this.start()
  }

  /**
   * Cancels what is under way and closes the live connection. A run cut short
   * starts over on the next `start()`; a settled one stays settled.
   */
  stop(): void {
    this.#run?.abort()
    this.#run = null
    if (this.getSnapshot().status === 'loading') this.#started = null
    this.#submitting.abort()
    this.#submitting = new AbortController()
    this.live.destroy()
  }

  /**
   * After a submission `failed` without being refused (out of tries, or
   * stopped), sends it again with the same `Idempotency-Key`; otherwise null.
   */
  retrySubmission(): Promise<unknown> | null {
    const resend = this.#resend
    this.#resend = null
    return resend?.() ?? null
  }

  /**
   * `handleSubmit`: an onboarding agent submits its onboarding answers
   * ({@link submitOnboarding}), any other its final data ({@link submitTask}).
   */
  async submit(data: unknown, options: SubmitOptions = {}): Promise<void> {
    if (this.getSnapshot().isOnboarding === true) await this.submitOnboarding(data)
    else await this.submitTask(data, options)
  }

  /**
   * `POST /submit_task` with `data` as `final_data` (JSON), or as
   * `final_string_data` with `options.files` (multipart), or a `FormData` you
   * built; then the provider's `handleSubmitToProvider`. Resolves with the
   * router's answer.
   */
  submitTask(data: unknown, options: SubmitOptions = {}): Promise<unknown> {
    return this.#oneTaskSubmission(() => this.#submitTask(data, options))
  }

  /** A second submission while one is saving (a double click) waits for the first. */
  #oneTaskSubmission(submit: () => Promise<unknown>): Promise<unknown> {
    return (this.#taskSubmission ??= submit().finally(() => {
      this.#taskSubmission = null
    }))
  }

  /**
   * Sends the task's answer until the router acknowledges it (see
   * {@link #deliver}). JSON data is kept in the storage meanwhile, so that a
   * reload sends it again with the same key; files cannot be, and are
   * retried only while the page lives.
   */
  async #submitTask(
    data: unknown,
    options: SubmitOptions,
    key = this.#options.generateId(),
  ): Promise<unknown> {
    const agentId = this.#requireAgent()
    const clientTimestamp = this.#seconds()
    let request: HttpRequest
    let providerData = data
    if (isFormData(data)) {
      data.set('USED_AGENT_ID', agentId)
      data.set('client_timestamp', String(clientTimestamp))
      request = { form: data }
      providerData = data.get('final_string_data') ?? data.get('final_data')
    } else if (options.files === undefined) {
      this.#pending.write({ agentId, key, kind: 'task', data })
      request = {
        json: { USED_AGENT_ID: agentId, final_data: data, client_timestamp: clientTimestamp },
      }
    } else {
      const form = new FormData()
      form.set('USED_AGENT_ID', agentId)
      form.set('final_string_data', JSON.stringify(data))
      form.set('client_timestamp', String(clientTimestamp))
      for (const [field, files] of Object.entries(options.files)) {
        for (const file of Array.isArray(files) ? files : [files]) form.append(field, file as Blob)
      }
      request = { form }
    }
    const reply = await this.#deliver(
      '/submit_task',
      { ...request, headers: idempotency(key) },
      {
        agentId,
        resend: () => this.#submitTask(data, options, key),
      },
    )
    // The status stays `ready`, as mephisto-task leaves it: `submission` says `saved`.
    this.update({ submittedData: providerData })
    this.#options.provider.handleSubmitToProvider(providerData)
    return reply
  }

  /**
   * POSTs a submission until the router acknowledges it: a retryable failure
   * (no answer, 5xx such as `AGENT_NOT_YET_KNOWN` or `STORE_FAILED`) is tried
   * again with the same `Idempotency-Key`, after a jittered backoff or the
   * server's `Retry-After`. A tracked one (the task's or the onboarding
   * answers) shows in `submission`, and its stored copy is dropped once
   * acknowledged or refused for good.
   */
  async #deliver(path: string, request: HttpRequest, tracked: Tracked | null): Promise<unknown> {
    const signal = this.#submitting.signal
    const track = (submission: SubmissionState): void => {
      if (tracked !== null) this.update({ submission })
    }
    let error: ClientError | null = null
    for (let attempts = 1; ; attempts++) {
      track({ state: 'saving', attempts, error })
      try {
        const reply = await this.#http.post(path, { ...request, signal })
        if (tracked !== null) this.#pending.clear(tracked.agentId)
        track({ state: 'saved', attempts, error: null })
        return reply
      } catch (caught) {
        error = toClientError(caught)
      }
      let final = error.retryable && attempts < this.#options.submitMaxAttempts ? null : error
      if (final === null) {
        track({ state: 'saving', attempts, error })
        const delay = submissionDelayMs(attempts, error.retryAfterMs, this.#options)
        await sleep(this.#options.clock, delay, signal).catch((stopped: unknown) => {
          final = toClientError(stopped)
        })
      }
      if (final !== null) {
        if (tracked !== null) this.#failSubmission(tracked, final, attempts)
        throw final
      }
    }
  }

  /**
   * A submission that will not be acknowledged. Refused for good (4xx): the
   * page is blocked with a specific reason (the first submission stands, or
   * the agent is gone) rather than left offering a button that cannot
   * succeed. Out of tries or stopped: it stays pending, for a reload or
   * `retrySubmission()`.
   */
  #failSubmission(tracked: Tracked, error: ClientError, attempts: number): void {
    this.update({ submission: { state: 'failed', attempts, error } })
    if (error.status === null || error.retryable) {
      this.#resend = tracked.resend
      return
    }
    this.#pending.clear(tracked.agentId)
    this.#block(REFUSALS[error.code] ?? 'submission_refused')
  }

  /**
   * `POST /submit_onboarding`; the answer is handled like a registration: the
   * page becomes the new agent, or blocked. Resolves with the new state.
   */
  submitOnboarding(data: unknown): Promise<TaskState> {
    return this.#submitOnboarding(data, this.#options.generateId())
  }

  /** Sent, retried and kept across a reload as the task's answer is. */
  async #submitOnboarding(data: unknown, key: string): Promise<TaskState> {
    const agentId = this.#requireAgent()
    this.#pending.write({ agentId, key, kind: 'onboarding', data })
    const request = {
      json: {
        provider_data: { USED_AGENT_ID: agentId, onboarding_data: data },
        client_timestamp: this.#seconds(),
      },
      headers: idempotency(key),
    }
    const answer = await this.#deliver('/submit_onboarding', request, {
      agentId,
      resend: () => this.#submitOnboarding(data, key),
    })
    // The answer makes a new agent, which has submitted nothing yet.
    this.update({ submission: IDLE })
    this.#applyAgentDetails(answer)
    return this.getSnapshot()
  }

  /**
   * `handleMetadataSubmit`: `POST /submit_metadata` with `{ [item.type]: item }`
   * over the items that have a `type`. Resolves with the router's answer.
   */
  async submitMetadata(...items: unknown[]): Promise<unknown> {
    const metadata: Record<string, unknown> = {}
    for (const item of items) {
      if (typeof item === 'object' && item !== null && Object.hasOwn(item, 'type')) {
        metadata[String((item as { type: unknown }).type)] = item
      }
    }
    // Retried like the task's answer, but in memory and without showing in `submission`.
    const json = {
      USED_AGENT_ID: this.#requireAgent(),
      metadata,
      client_timestamp: this.#seconds(),
    }
    const headers = idempotency(this.#options.generateId())
    return this.#deliver('/submit_metadata', { json, headers }, null)
  }

  /** `handleFatalError`: `POST /log_error` (also before registration, with a null agent). */
  async logError(data: unknown): Promise<unknown> {
    return this.#http.post('/log_error', {
      json: {
        USED_AGENT_ID: this.getSnapshot().agentId,
        error_data: data,
        client_timestamp: this.#seconds(),
      },
    })
  }

  async #load(): Promise<TaskState> {
    const run = new AbortController()
    this.#run = run
    this.update({ status: 'loading', error: null })
    const retrying = <TValue>(operation: () => Promise<TValue>): Promise<TValue> =>
      withRetry(operation, { ...this.#options, signal: run.signal })
    try {
      const taskConfig = (await retrying(() =>
        this.#http.get('/task_config.json', {
          query: { mephisto_task_version: MEPHISTO_TASK_VERSION },
          signal: run.signal,
        }),
      )) as TaskConfig
      if (taskConfig.mephisto_task_version !== MEPHISTO_TASK_VERSION) {
        this.#options.warn(
          `The router expects mephisto-task ${String(taskConfig.mephisto_task_version)}; this client speaks ${MEPHISTO_TASK_VERSION}.`,
        )
      }
      this.update({ taskConfig })
      const state = this.getSnapshot()
      if (taskConfig.block_mobile === true && isMobileUserAgent(this.#options.userAgent)) {
        this.#block('no_mobile')
        this.update({ loaded: state.isPreview })
      } else if (state.isPreview) {
        this.update({ status: 'preview', loaded: true })
      } else if (this.#options.live && this.#options.WebSocket === null) {
        this.#block('no_websockets')
      } else {
        const answer = await retrying(() =>
          this.#http.post('/request_agent', {
            json: {
              provider_data: this.#options.provider.getAgentRegistration(),
              client_timestamp: this.#seconds(),
            },
            signal: run.signal,
          }),
        )
        this.#applyAgentDetails(answer)
        this.#resume(answer)
      }
    } catch (error) {
      // A stopped run leaves the state as it is; the next start() begins again.
      if (!run.signal.aborted) this.update({ status: 'error', error: toClientError(error) })
    } finally {
      if (this.#run === run) this.#run = null
    }
    return this.getSnapshot()
  }

  /** Reads an `agent_details` packet, from a registration or an onboarding submission. */
  #applyAgentDetails(packet: unknown): void {
    const details = (packet as { data?: AgentDetails } | null)?.data
    if (typeof details !== 'object' || details === null) {
      throw new ClientError('BAD_RESPONSE', 'the registration answer has no agent details')
    }
    const agentId = typeof details.agent_id === 'string' ? details.agent_id : null
    const mephistoWorkerId = typeof details.worker_id === 'string' ? details.worker_id : null
    if (agentId === null) {
      this.#refused(details.failure_reason, mephistoWorkerId)
      return
    }
    this.update({
      status: 'ready',
      mephistoWorkerId,
      agentId,
      mephistoAgentId: agentId,
      isOnboarding: agentId.startsWith('onboarding'),
      initialTaskData: details.init_task_data ?? null,
      loaded: true,
      error: null,
    })
  }

  /**
   * The backend refused the worker: a `failure_reason` we know is shown in the
   * task's language (by its FailureReason key), an unknown one verbatim.
   */
  #refused(reason: unknown, mephistoWorkerId: string | null): void {
    const text = typeof reason === 'string' && reason !== '' ? reason : null
    const refusal = text === null ? null : refusalKeyOf(text)
    this.update({ mephistoWorkerId, agentId: null, isOnboarding: false, refusal })
    this.#block(
      'null_agent_id',
      refusal === null ? text : this.messages.text(`refusal.${refusal}.text`),
    )
  }

  /**
   * After a registration: an agent that already handed in is `submitted` (a
   * reload after submitting never shows an empty form), one that ended
   * otherwise is blocked with the status's text, and a submission this tab
   * sent but never saw acknowledged is sent again with its key.
   */
  #resume(packet: unknown): void {
    const { agentId } = this.getSnapshot()
    if (agentId === null) return
    const details = (packet as { data: AgentDetails }).data
    const status = details.agent_status
    const pending = this.#pending.read(agentId)
    if (typeof status === 'string' && HANDED_IN.has(status)) {
      this.#pending.clear(agentId)
      this.#handedIn(details.submitted_data ?? pending?.data ?? null)
      // Stored, but the page reloaded before the answer: the provider never heard of it.
      if (pending?.kind === 'task') this.#options.provider.handleSubmitToProvider(pending.data)
    } else if (FINAL_AGENT_STATUSES.has(status as AgentStatus)) {
      this.#pending.clear(agentId)
      this.#block(status as string)
    } else if (pending?.kind === 'task') {
      // The state shows the outcome; nobody awaits this promise.
      this.#oneTaskSubmission(() => this.#submitTask(pending.data, {}, pending.key)).then(
        () => {
          this.#handedIn(pending.data)
        },
        () => undefined,
      )
    } else if (pending !== null) {
      this.#submitOnboarding(pending.data, pending.key).catch(() => undefined)
    }
  }

  /**
   * The agent's work is stored, and this page learnt it only after a reload:
   * `submitted`, and blocked `already_submitted` too, so that pages written
   * for `mephisto-task` show the text instead of an empty form.
   */
  #handedIn(submittedData: unknown): void {
    this.update({
      status: 'submitted',
      blockedReason: 'already_submitted',
      blockedExplanation: this.messages.text('blocked.submittedBefore.text'),
      submittedData,
      submission: {
        state: 'saved',
        attempts: this.getSnapshot().submission?.attempts ?? 0,
        error: null,
      },
    })
  }

  #block(reason: BlockedReason, explanation: string | null = null): void {
    this.update({
      status: 'blocked',
      blockedReason: reason,
      blockedExplanation: explanation ?? getBlockedExplanation(reason, this.messages),
    })
  }

  #requireAgent(): string {
    const { agentId } = this.getSnapshot()
    if (agentId === null) {
      throw new ClientError('NOT_REGISTERED', 'the worker has no agent yet: wait for registration')
    }
    return agentId
  }

  #seconds(): number {
    return this.#options.clock.now() / 1000
  }
}

/** Creates a {@link TaskClient}; see {@link TaskClientOptions} for what can be injected. */
export function createTaskClient(options: TaskClientOptions = {}): TaskClient {
  return new TaskClient(options)
}

/** The header by which the router and backend recognise every try of one submission. */
function idempotency(key: string): Record<string, string> {
  return { 'idempotency-key': key }
}

function isFormData(value: unknown): value is FormData {
  return typeof FormData !== 'undefined' && value instanceof FormData
}
