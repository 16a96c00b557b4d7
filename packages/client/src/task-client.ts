import { MEPHISTO_TASK_VERSION } from '@faust/protocol/constants'
import { getBlockedExplanation, isMobileUserAgent, type BlockedReason } from './blocked-reason.js'
import { ClientError, toClientError } from './client-error.js'
import { HttpClient } from './http-client.js'
import { LiveConnection } from './live-connection.js'
import { withRetry } from './retry.js'
import { ObservableState } from './observable-state.js'
import {
  resolveTaskClientOptions,
  type ResolvedTaskClientOptions,
  type TaskClientOptions,
} from './task-client-options.js'
import type { TaskConfig, TaskState } from './task-state.js'

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
  #run: AbortController | null = null
  #started: Promise<TaskState> | null = null

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
      onUnsupported: () => {
        this.#block('no_websockets')
      },
    })
  }

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
    this.live.destroy()
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
  async submitTask(data: unknown, options: SubmitOptions = {}): Promise<unknown> {
    try {
      return await this.#submitTask(data, options)
    } catch (error) {
      // The first submission stands: the page is blocked rather than left
      // offering a submit button that can never succeed. Still rejects, as
      // mephisto-task's submit does on any non-200.
      if (error instanceof ClientError && error.code === 'ALREADY_SUBMITTED') {
        this.#block('already_submitted')
      }
      throw error
    }
  }

  async #submitTask(data: unknown, options: SubmitOptions): Promise<unknown> {
    const agentId = this.#requireAgent()
    const clientTimestamp = this.#seconds()
    let reply: unknown
    let providerData = data
    if (isFormData(data)) {
      data.set('USED_AGENT_ID', agentId)
      data.set('client_timestamp', String(clientTimestamp))
      reply = await this.#http.post('/submit_task', { form: data })
      providerData = data.get('final_string_data') ?? data.get('final_data')
    } else if (options.files === undefined) {
      reply = await this.#http.post('/submit_task', {
        json: { USED_AGENT_ID: agentId, final_data: data, client_timestamp: clientTimestamp },
      })
    } else {
      const form = new FormData()
      form.set('USED_AGENT_ID', agentId)
      form.set('final_string_data', JSON.stringify(data))
      form.set('client_timestamp', String(clientTimestamp))
      for (const [field, files] of Object.entries(options.files)) {
        for (const file of Array.isArray(files) ? files : [files]) form.append(field, file as Blob)
      }
      reply = await this.#http.post('/submit_task', { form })
    }
    this.#options.provider.handleSubmitToProvider(providerData)
    return reply
  }

  /**
   * `POST /submit_onboarding`; the answer is handled like a registration: the
   * page becomes the new agent, or blocked. Resolves with the new state.
   */
  async submitOnboarding(data: unknown): Promise<TaskState> {
    const agentId = this.#requireAgent()
    const answer = await this.#http.post('/submit_onboarding', {
      json: {
        provider_data: { USED_AGENT_ID: agentId, onboarding_data: data },
        client_timestamp: this.#seconds(),
      },
    })
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
    return this.#http.post('/submit_metadata', {
      json: { USED_AGENT_ID: this.#requireAgent(), metadata, client_timestamp: this.#seconds() },
    })
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
      const reason = details.failure_reason
      this.update({ mephistoWorkerId, agentId: null, isOnboarding: false })
      this.#block('null_agent_id', typeof reason === 'string' && reason !== '' ? reason : null)
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

  #block(reason: BlockedReason, explanation: string | null = null): void {
    this.update({
      status: 'blocked',
      blockedReason: reason,
      blockedExplanation: explanation ?? getBlockedExplanation(reason),
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

function isFormData(value: unknown): value is FormData {
  return typeof FormData !== 'undefined' && value instanceof FormData
}
