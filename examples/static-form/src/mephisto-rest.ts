// Mephisto's REST calls, made exactly as `mephisto-task` 2.0.4 makes them
// (protocol §3, §8.2). The only module that talks to the router; the client
// library's hooks will replace it.

/** The version `mephisto-task` 2.0.4 reports; the router warns on a mismatch. */
export const MEPHISTO_TASK_VERSION = '2.0.4'

/** The globals the provider's `wrap_crowd_source.js` defines (§8.7). */
declare global {
  interface Window {
    getWorkerName?: () => string | null
    getAssignmentId?: () => string | null
    getAgentRegistration?: () => Record<string, unknown>
    handleSubmitToProvider?: (data: unknown) => unknown
    /** Optional: merged into the query string of every request. */
    getProviderURLParams?: (() => Record<string, unknown>) | Record<string, unknown>
  }
}

/** `task_config.json`: the task's `taskConfig` plus `mephisto_task_version`. */
export interface TaskConfig {
  readonly task_title?: unknown
  readonly task_description?: unknown
  readonly [key: string]: unknown
}

/** What the page reads of an `agent_details` packet (§2.4). */
export interface AgentDetails {
  readonly agentId: string | null
  readonly workerId: string | null
  readonly initTaskData: unknown
  readonly failureReason: string | null
}

/** A call the router refused (non-2xx) or that never reached it. */
export class RestError extends Error {
  /** The HTTP status, or 0 when the request failed before an answer. */
  readonly status: number

  constructor(message: string, status: number) {
    super(message)
    this.name = 'RestError'
    this.status = status
  }
}

/** Whether the provider named a worker and an assignment; previews never register (§8.6). */
export function isPreview(): boolean {
  return workerName() === null || assignmentId() === null
}

export function workerName(): string | null {
  return window.getWorkerName?.() ?? null
}

export function assignmentId(): string | null {
  return window.getAssignmentId?.() ?? null
}

const MOBILE = /Android|webOS|iPhone|iPad|iPod|BlackBerry|IEMobile|Opera Mini/i

/** `block_mobile` on a phone: the reason shown instead of registering (§3.1, §4.3). */
export function mobileBlockReason(config: TaskConfig): string | null {
  if (!config['block_mobile'] || !MOBILE.test(navigator.userAgent)) return null
  return 'Sorry, this task cannot be completed on mobile devices. Please use a computer.'
}

/** The agent ids of onboarding agents start with `onboarding` (§4.4). */
export function isOnboardingAgent(agentId: string): boolean {
  return agentId.startsWith('onboarding')
}

/** `GET task_config.json?mephisto_task_version=2.0.4` (§3.1). */
export async function getTaskConfig(): Promise<TaskConfig> {
  const body = await call(
    withProviderParams(`task_config.json?mephisto_task_version=${MEPHISTO_TASK_VERSION}`),
    { method: 'GET' },
  )
  return isRecord(body) ? body : {}
}

/** `POST request_agent` with the provider's registration (§3.2). */
export async function requestAgent(): Promise<AgentDetails> {
  const registration = window.getAgentRegistration?.()
  if (registration === undefined) {
    throw new RestError('The provider script (wrap_crowd_source.js) did not load.', 0)
  }
  return agentDetails(
    await postJson('request_agent', { provider_data: registration, client_timestamp: now() }),
  )
}

/** `POST submit_onboarding`: answered by the `agent_details` that follows validation (§3.3). */
export async function submitOnboarding(
  agentId: string,
  onboardingData: unknown,
): Promise<AgentDetails> {
  return agentDetails(
    await postJson('submit_onboarding', {
      provider_data: { USED_AGENT_ID: agentId, onboarding_data: onboardingData },
      client_timestamp: now(),
    }),
  )
}

/**
 * `POST submit_task` (§3.4): JSON `final_data`, or, with files, multipart with
 * `final_string_data` and one part per file under its field name.
 */
export async function submitTask(
  agentId: string,
  finalData: unknown,
  files: Readonly<Record<string, File>> = {},
): Promise<void> {
  const fileEntries = Object.entries(files)
  let body: unknown
  if (fileEntries.length === 0) {
    body = await postJson('submit_task', {
      USED_AGENT_ID: agentId,
      final_data: finalData,
      client_timestamp: now(),
    })
  } else {
    const form = new FormData()
    form.append('USED_AGENT_ID', agentId)
    form.append('final_string_data', JSON.stringify(finalData))
    form.append('client_timestamp', String(now()))
    for (const [field, file] of fileEntries) form.append(field, file, file.name)
    // No content-type header: the browser adds the multipart boundary.
    body = await call(withProviderParams('submit_task'), { method: 'POST', body: form })
  }
  if (!isRecord(body) || body['status'] !== 'Submitted!') {
    throw new RestError(`Unexpected answer from submit_task: ${JSON.stringify(body)}`, 200)
  }
}

/** The provider's own submission step (MTurk form, Prolific redirect, mock alert). */
export function handleSubmitToProvider(finalData: unknown): void {
  window.handleSubmitToProvider?.(finalData)
}

function postJson(path: string, payload: unknown): Promise<unknown> {
  return call(withProviderParams(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  })
}

/** Relative URLs: the page is served from the router's root, beside these routes. */
async function call(url: string, init: RequestInit): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, init)
  } catch (error) {
    throw new RestError(`Could not reach the server (${String(error)}).`, 0)
  }
  const text = await response.text()
  let body: unknown = undefined
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON (e.g. a proxy's HTML error page)
  }
  if (!response.ok) throw new RestError(errorMessage(body, response), response.status)
  if (body === undefined) {
    throw new RestError(`The server answered ${url} with something that is not JSON.`, 0)
  }
  return body
}

/** Faust's routers answer errors as `{ error: { code, message } }`. */
function errorMessage(body: unknown, response: Response): string {
  if (isRecord(body)) {
    const error = body['error']
    if (isRecord(error) && typeof error['message'] === 'string') return error['message']
    if (typeof error === 'string') return error
  }
  return `The server answered HTTP ${response.status} ${response.statusText}`.trim()
}

/** The body of `request_agent` and `submit_onboarding` is a whole `agent_details` packet. */
function agentDetails(packet: unknown): AgentDetails {
  const data = isRecord(packet) ? packet['data'] : undefined
  if (!isRecord(data)) {
    throw new RestError(`Unexpected answer (no agent details): ${JSON.stringify(packet)}`, 200)
  }
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)
  return {
    agentId: text(data['agent_id']),
    workerId: text(data['worker_id']),
    initTaskData: data['init_task_data'] ?? null,
    failureReason: text(data['failure_reason']),
  }
}

/** `getProviderURLParams` (function or object), merged into the query string (§3). */
function withProviderParams(path: string): string {
  const source = window.getProviderURLParams
  const params = typeof source === 'function' ? source() : source
  if (!isRecord(params)) return path
  const url = new URL(path, window.location.href)
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue
    url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value))
  }
  return `${path.split('?')[0] ?? path}${url.search}`
}

/** Seconds, as Python's `time.time()`. */
function now(): number {
  return Date.now() / 1000
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
