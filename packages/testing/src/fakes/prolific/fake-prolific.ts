import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { systemClock } from '@faust/protocol'
import type { Clock } from '@faust/protocol'
import { FakeProlificError, FakeProlificState, objectId } from './fake-prolific-state.js'
import type {
  FakeBonus,
  FakeGroup,
  FakeMessage,
  FakeStudy,
  FakeSubmission,
} from './fake-prolific-state.js'

// A local stand-in for Prolific's REST API (https://docs.prolific.com/api-reference),
// served over real HTTP on 127.0.0.1 so the real client is pointed at it
// through PROLIFIC_API_URL, never stubbed. It serves the endpoints Faust
// calls, checks `Authorization: Token <token>` and request bodies, keeps the
// state machines of fake-prolific-state.ts, paginates every list
// (`?page=&page_size=`, answering `{results, _links: {next: {href}}, meta: {count}}`),
// and lets tests inject failures and drift.

/** Options of {@link startFakeProlific}. */
export interface FakeProlificOptions {
  /** Timestamps (started_at, completed_at) come from it. */
  readonly clock?: Clock | undefined
  /** Items per page of every list (default 20, Prolific's default). */
  readonly pageSize?: number | undefined
  /** The only token accepted (default `fake-prolific-token`). */
  readonly token?: string | undefined
}

/** One failure to inject into the next matching request. */
export interface FakeProlificFailure {
  /** Only requests with this method (any by default). */
  readonly method?: string | undefined
  /** Only requests whose path contains this text or matches this pattern (any by default). */
  readonly path?: string | RegExp | undefined
  /** Answer this status (429, 503, 401…) without acting. */
  readonly status?: number | undefined
  /** With `status`: the Retry-After header, in seconds. */
  readonly retryAfter?: number | undefined
  /** Hold the request this long (real time) before handling it. */
  readonly delayMs?: number | undefined
  /** Act on the request, then drop the connection: the answer is lost. */
  readonly dropAfter?: boolean | undefined
  /** Drop the connection without acting. */
  readonly dropBefore?: boolean | undefined
  /** How many matching requests it applies to (default 1). */
  readonly times?: number | undefined
}

/** A request as the fake received it. */
export interface FakeProlificRequest {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly body: unknown
  readonly authorization: string | undefined
  /** What the fake answered (0 for a dropped connection). */
  status: number
}

/** A place taken by a participant, as Prolific would open the study URL. */
export interface FakeProlificPlace {
  /** The study URL with PROLIFIC_PID, STUDY_ID and SESSION_ID filled in. */
  readonly url: string
  readonly pid: string
  readonly sessionId: string
}

/** The participants' side of the fake, and drift injection. */
export interface FakeProlificParticipants {
  take(studyId: string, options?: { pid?: string | undefined }): FakeProlificPlace
  /** What the browser's completion redirect does: GET `<completionUrl>?cc=<code>` as that participant. */
  complete(sessionId: string, code: string): Promise<void>
  returnPlace(sessionId: string): void
  timeOut(sessionId: string): void
  flipToActive(sessionId: string): void
  /** Puts any status string on a submission (e.g. an undocumented one). */
  setStatus(sessionId: string, status: string): void
}

/** A running fake Prolific. */
export interface FakeProlific {
  /** The API base URL (PROLIFIC_API_URL). */
  readonly url: string
  /** The completion redirect target (PROLIFIC_COMPLETION_URL). */
  readonly completionUrl: string
  readonly token: string
  close(): Promise<void>
  requests(): readonly FakeProlificRequest[]
  failNext(failure: FakeProlificFailure): void
  readonly participants: FakeProlificParticipants
  studies(): readonly FakeStudy[]
  submissions(): readonly FakeSubmission[]
  bonuses(): readonly FakeBonus[]
  groups(): readonly FakeGroup[]
  messages(): readonly FakeMessage[]
}

/** The cookie that stands for the participant's Prolific login at the completion redirect. */
const SESSION_COOKIE = 'fake_prolific_session'

/** Starts a fake Prolific on 127.0.0.1, port 0. */
export async function startFakeProlific(options: FakeProlificOptions = {}): Promise<FakeProlific> {
  const token = options.token ?? 'fake-prolific-token'
  const state = new FakeProlificState(options.clock ?? systemClock)
  const log: FakeProlificRequest[] = []
  const failures: { failure: FakeProlificFailure; left: number }[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const context = { state, token, pageSize: Math.max(1, options.pageSize ?? 20), base: '' }

  const server = createServer((request, response) => {
    void handle(request, response, context, log, failures, timers)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  context.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const completionUrl = `${context.base}/submissions/complete`

  return {
    url: context.base,
    completionUrl,
    token,
    close: () => closeServer(server, sockets, timers),
    requests: () => [...log],
    failNext: (failure) => failures.push({ failure, left: failure.times ?? 1 }),
    participants: participantsOf(state, completionUrl),
    studies: () => [...state.studies.values()],
    submissions: () => [...state.submissions.values()],
    bonuses: () => [...state.bonuses.values()],
    groups: () => [...state.groups.values()],
    messages: () => [...state.messages],
  }
}

function participantsOf(state: FakeProlificState, completionUrl: string): FakeProlificParticipants {
  return {
    take: (studyId, options = {}) => {
      const submission = state.take(studyId, options.pid ?? objectId())
      const url = state
        .study(studyId)
        .external_study_url.replaceAll(
          '{{%PROLIFIC_PID%}}',
          encodeURIComponent(submission.participant_id),
        )
        .replaceAll('{{%STUDY_ID%}}', encodeURIComponent(studyId))
        .replaceAll('{{%SESSION_ID%}}', encodeURIComponent(submission.id))
      return { url, pid: submission.participant_id, sessionId: submission.id }
    },
    complete: async (sessionId, code) => {
      const response = await fetch(`${completionUrl}?cc=${encodeURIComponent(code)}`, {
        headers: { Cookie: `${SESSION_COOKIE}=${sessionId}` },
      })
      await response.text()
      if (!response.ok) throw new Error(`fake Prolific: completion refused (${response.status})`)
    },
    returnPlace: (sessionId) => void state.returnPlace(sessionId),
    timeOut: (sessionId) => void state.timeOut(sessionId),
    flipToActive: (sessionId) => void state.flipToActive(sessionId),
    setStatus: (sessionId, status) => {
      state.submission(sessionId).status = status
    },
  }
}

interface Context {
  readonly state: FakeProlificState
  readonly token: string
  readonly pageSize: number
  base: string
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  context: Context,
  log: FakeProlificRequest[],
  failures: { failure: FakeProlificFailure; left: number }[],
  timers: Set<NodeJS.Timeout>,
): Promise<void> {
  const url = new URL(request.url ?? '/', context.base)
  const text = await readBody(request)
  const entry: FakeProlificRequest = {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: parseMaybe(text),
    authorization: request.headers.authorization,
    status: 0,
  }
  log.push(entry)
  const failure = takeFailure(failures, entry)
  if (failure?.delayMs !== undefined) await wait(failure.delayMs, timers)
  if (failure?.dropBefore === true) return void request.socket.destroy()
  if (failure?.status !== undefined) {
    const headers =
      failure.retryAfter === undefined ? {} : { 'Retry-After': String(failure.retryAfter) }
    return send(
      response,
      entry,
      failure.status,
      errorBody(failure.status, 'Injected failure'),
      headers,
    )
  }
  const [status, body] = route(entry, request, text, context)
  if (failure?.dropAfter === true) return void request.socket.destroy()
  send(response, entry, status, body)
}

function route(
  entry: FakeProlificRequest,
  request: IncomingMessage,
  text: string,
  context: Context,
): [number, unknown] {
  try {
    if (entry.path === '/submissions/complete') return completion(entry, request, context.state)
    if (entry.authorization !== `Token ${context.token}`) {
      return [401, errorBody(401, 'Invalid token')]
    }
    if (text !== '' && entry.body === undefined)
      return [400, errorBody(400, 'The body is not JSON')]
    return api(entry, context)
  } catch (error) {
    if (error instanceof FakeProlificError)
      return [error.status, errorBody(error.status, error.message)]
    throw error
  }
}

/** The completion redirect: the participant is known from their login (a cookie here). */
function completion(
  entry: FakeProlificRequest,
  request: IncomingMessage,
  state: FakeProlificState,
): [number, unknown] {
  const cookie = /(?:^|;\s*)fake_prolific_session=([^;]+)/.exec(request.headers.cookie ?? '')
  const sessionId = cookie?.[1] ?? entry.query['SESSION_ID']
  const code = entry.query['cc']
  if (sessionId === undefined || code === undefined)
    return [400, errorBody(400, 'No participant or no code')]
  state.complete(decodeURIComponent(sessionId), code)
  return [200, { status: 'completed' }]
}

type Handler = (context: Context, entry: FakeProlificRequest, id: string) => [number, unknown]

// The endpoints Faust uses; path patterns and methods as in the API reference.
const ROUTES: readonly (readonly [string, RegExp, Handler])[] = [
  ['GET', /^\/api\/v1\/studies\/$/, (c, e) => [200, page(c, e, [...c.state.studies.values()])]],
  ['POST', /^\/api\/v1\/studies\/$/, (c, e) => [201, createStudy(c.state, body(e))]],
  ['GET', /^\/api\/v1\/studies\/([^/]+)\/$/, (c, _e, id) => [200, c.state.study(id)]],
  [
    'PATCH',
    /^\/api\/v1\/studies\/([^/]+)\/$/,
    (c, e, id) => [200, c.state.updateStudy(id, body(e))],
  ],
  [
    'POST',
    /^\/api\/v1\/studies\/([^/]+)\/transition\/$/,
    (c, e, id) => [200, c.state.transitionStudy(id, String(body(e)['action']))],
  ],
  [
    'GET',
    /^\/api\/v1\/studies\/([^/]+)\/submissions\/$/,
    (c, e, id) => [
      200,
      page(c, e, c.state.submissionsOf(c.state.study(id).id).map(listedSubmission)),
    ],
  ],
  [
    'GET',
    /^\/api\/v1\/submissions\/([^/]+)\/$/,
    (c, _e, id) => [200, fullSubmission(c.state.submission(id))],
  ],
  [
    'POST',
    /^\/api\/v1\/submissions\/([^/]+)\/transition\/$/,
    (c, e, id) => [200, fullSubmission(c.state.transitionSubmission(id, body(e)))],
  ],
  [
    'POST',
    /^\/api\/v1\/submissions\/bonus-payments\/$/,
    (c, e) => [201, bonusView(c.state.setUpBonus(body(e)))],
  ],
  [
    'POST',
    /^\/api\/v1\/bulk-bonus-payments\/([^/]+)\/pay\/$/,
    (c, _e, id) => [202, { id: c.state.payBonus(id).id }],
  ],
  [
    'GET',
    /^\/api\/v1\/participant-groups\/$/,
    (c, e) => [200, page(c, e, listGroups(c.state, e).map(groupView))],
  ],
  [
    'POST',
    /^\/api\/v1\/participant-groups\/$/,
    (c, e) => [201, groupView(createGroup(c.state, body(e)))],
  ],
  [
    'POST',
    /^\/api\/v1\/participant-groups\/([^/]+)\/participants\/$/,
    (c, e, id) => [200, members(c.state, id, body(e), true)],
  ],
  [
    'DELETE',
    /^\/api\/v1\/participant-groups\/([^/]+)\/participants\/$/,
    (c, e, id) => [200, members(c.state, id, body(e), false)],
  ],
  ['POST', /^\/api\/v1\/messages\/$/, (c, e) => [201, sendMessage(c.state, body(e))]],
]

function api(entry: FakeProlificRequest, context: Context): [number, unknown] {
  let pathKnown = false
  for (const [method, pattern, handler] of ROUTES) {
    const match = pattern.exec(entry.path)
    if (match === null) continue
    pathKnown = true
    if (method === entry.method) return handler(context, entry, decodeURIComponent(match[1] ?? ''))
  }
  return pathKnown
    ? [405, errorBody(405, 'Method not allowed')]
    : [404, errorBody(404, 'Not found')]
}

function body(entry: FakeProlificRequest): Record<string, unknown> {
  const value = entry.body
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FakeProlificError(400, 'The body must be a JSON object')
  }
  return value as Record<string, unknown>
}

/** One page of a list, with Prolific's `_links` (absolute URLs) and `meta.count`. */
function page(context: Context, entry: FakeProlificRequest, items: readonly unknown[]): object {
  const size = Math.max(1, Number(entry.query['page_size'] ?? context.pageSize) || context.pageSize)
  const number = Math.max(1, Number(entry.query['page'] ?? 1) || 1)
  const last = Math.max(1, Math.ceil(items.length / size))
  const link = (n: number): { href: string | null } => {
    if (n < 1 || n > last) return { href: null }
    const query = new URLSearchParams({ ...entry.query, page: String(n), page_size: String(size) })
    return { href: `${context.base}${entry.path}?${query.toString()}` }
  }
  return {
    results: items.slice((number - 1) * size, number * size),
    _links: {
      self: link(number),
      next: link(number + 1),
      previous: link(number - 1),
      last: link(last),
    },
    meta: { count: items.length },
  }
}

function createStudy(state: FakeProlificState, input: Record<string, unknown>): FakeStudy {
  const text = (key: string): string => {
    const value = input[key]
    if (typeof value !== 'string' || value.trim() === '')
      throw new FakeProlificError(400, `${key} is required`)
    return value
  }
  const count = (key: string, required = true): number | null => {
    const value = input[key]
    if (value === undefined && !required) return null
    if (!Number.isInteger(value) || (value as number) < 1) {
      throw new FakeProlificError(400, `${key} must be a positive integer`)
    }
    return value as number
  }
  const url = text('external_study_url')
  try {
    new URL(url.replace(/\{\{%[A-Z_]+%\}\}/g, 'x'))
  } catch {
    throw new FakeProlificError(400, 'external_study_url must be a valid URL')
  }
  const idOption = input['prolific_id_option'] ?? 'question'
  if (!['url_parameters', 'question', 'not_required'].includes(idOption as string)) {
    throw new FakeProlificError(
      400,
      'prolific_id_option must be url_parameters, question or not_required',
    )
  }
  if (idOption === 'url_parameters' && !url.includes('{{%PROLIFIC_PID%}}')) {
    throw new FakeProlificError(
      400,
      'external_study_url must carry {{%PROLIFIC_PID%}} with url_parameters',
    )
  }
  const study: FakeStudy = {
    id: objectId(),
    name: text('name'),
    internal_name: typeof input['internal_name'] === 'string' ? input['internal_name'] : '',
    description: text('description'),
    external_study_url: url,
    prolific_id_option: idOption as string,
    completion_codes: completionCodes(input['completion_codes']),
    total_available_places: count('total_available_places') ?? 1,
    estimated_completion_time: count('estimated_completion_time') ?? 1,
    maximum_allowed_time: count('maximum_allowed_time', false),
    reward: count('reward') ?? 1,
    filters: filters(input['filters']),
    project: typeof input['project'] === 'string' ? input['project'] : null,
    status: 'UNPUBLISHED',
    date_created: state.iso(),
  }
  state.studies.set(study.id, study)
  return study
}

function completionCodes(value: unknown): FakeStudy['completion_codes'] {
  if (!Array.isArray(value) || value.length === 0)
    throw new FakeProlificError(400, 'completion_codes is required')
  return value.map((item: unknown) => {
    const code = item as Record<string, unknown> | null
    if (
      code === null ||
      typeof code['code'] !== 'string' ||
      code['code'] === '' ||
      typeof code['code_type'] !== 'string' ||
      !Array.isArray(code['actions'])
    ) {
      throw new FakeProlificError(400, 'Each completion code needs code, code_type and actions')
    }
    return code as unknown as FakeStudy['completion_codes'][number]
  })
}

function filters(value: unknown): FakeStudy['filters'] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new FakeProlificError(400, 'filters must be a list')
  return value.map((item: unknown) => {
    const filter = item as Record<string, unknown> | null
    if (
      filter === null ||
      typeof filter['filter_id'] !== 'string' ||
      !Array.isArray(filter['selected_values'])
    ) {
      throw new FakeProlificError(400, 'Each filter needs filter_id and selected_values')
    }
    return filter as unknown as FakeStudy['filters'][number]
  })
}

function listedSubmission(submission: FakeSubmission): object {
  const { id, study_id, participant_id, status, started_at, completed_at, entered_code } =
    submission
  return { id, study_id, participant_id, status, started_at, completed_at, entered_code }
}

function fullSubmission(submission: FakeSubmission): object {
  return {
    ...listedSubmission(submission),
    participant: submission.participant_id,
    bonus_payments: [...submission.bonus_payments],
  }
}

function bonusView(bonus: FakeBonus): object {
  const amount = bonus.entries.reduce((sum, entry) => sum + entry.cents, 0)
  const fees = Math.round(amount / 3)
  return { id: bonus.id, study: bonus.study, amount, fees, vat: 0, total_amount: amount + fees }
}

function listGroups(state: FakeProlificState, entry: FakeProlificRequest): FakeGroup[] {
  const workspace = entry.query['workspace_id']
  if (workspace === undefined && entry.query['project_id'] === undefined) {
    throw new FakeProlificError(400, 'workspace_id or project_id is required')
  }
  return [...state.groups.values()].filter(
    (group) => workspace === undefined || group.workspace_id === workspace,
  )
}

function createGroup(state: FakeProlificState, input: Record<string, unknown>): FakeGroup {
  if (typeof input['name'] !== 'string' || input['name'] === '')
    throw new FakeProlificError(400, 'name is required')
  if (typeof input['workspace_id'] !== 'string')
    throw new FakeProlificError(400, 'workspace_id or organisation_id is required')
  const ids = Array.isArray(input['participant_ids']) ? (input['participant_ids'] as string[]) : []
  const group: FakeGroup = {
    id: objectId(),
    name: input['name'],
    workspace_id: input['workspace_id'],
    description: typeof input['description'] === 'string' ? input['description'] : '',
    participants: new Set(ids),
    is_deleted: false,
  }
  state.groups.set(group.id, group)
  return group
}

function groupView(group: FakeGroup): object {
  const { id, name, workspace_id, description, is_deleted } = group
  return {
    id,
    name,
    workspace_id,
    description,
    is_deleted,
    participant_count: group.participants.size,
  }
}

function members(
  state: FakeProlificState,
  id: string,
  input: Record<string, unknown>,
  add: boolean,
): object {
  const group = state.groups.get(id)
  if (group === undefined) throw new FakeProlificError(404, `Participant group ${id} not found`)
  const ids = input['participant_ids']
  if (!Array.isArray(ids) || ids.some((value) => typeof value !== 'string')) {
    throw new FakeProlificError(400, 'participant_ids must be a list of ids')
  }
  for (const participant of ids as string[]) {
    if (add) group.participants.add(participant)
    else group.participants.delete(participant)
  }
  return { results: [...group.participants].map((participant_id) => ({ participant_id })) }
}

function sendMessage(state: FakeProlificState, input: Record<string, unknown>): object {
  const { recipient_id, study_id, body: text } = input
  if (
    typeof recipient_id !== 'string' ||
    typeof study_id !== 'string' ||
    typeof text !== 'string' ||
    text === ''
  ) {
    throw new FakeProlificError(400, 'recipient_id, body and study_id are required')
  }
  state.messages.push({ recipient_id, study_id, body: text })
  return {}
}

function takeFailure(
  failures: { failure: FakeProlificFailure; left: number }[],
  entry: FakeProlificRequest,
): FakeProlificFailure | undefined {
  const index = failures.findIndex(({ failure }) => {
    if (failure.method !== undefined && failure.method.toUpperCase() !== entry.method) return false
    if (failure.path === undefined) return true
    return typeof failure.path === 'string'
      ? entry.path.includes(failure.path)
      : failure.path.test(entry.path)
  })
  const found = failures[index]
  if (found === undefined) return undefined
  if (--found.left <= 0) failures.splice(index, 1)
  return found.failure
}

function errorBody(status: number, detail: string): object {
  return { error: { status, error_code: status * 1000, title: statusTitle(status), detail } }
}

function statusTitle(status: number): string {
  if (status === 401) return 'Authentication failed'
  if (status === 404) return 'Not found'
  if (status === 429) return 'Too many requests'
  if (status >= 500) return 'Service unavailable'
  return 'Invalid request'
}

function send(
  response: ServerResponse,
  entry: FakeProlificRequest,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  entry.status = status
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  response.end(
    JSON.stringify(payload, (_key, value: unknown) => (value instanceof Set ? [...value] : value)),
  )
}

function parseMaybe(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function wait(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      resolve()
    }, ms)
    timers.add(timer)
  })
}

async function closeServer(
  server: ReturnType<typeof createServer>,
  sockets: Set<Socket>,
  timers: Set<NodeJS.Timeout>,
): Promise<void> {
  for (const timer of timers) clearTimeout(timer)
  timers.clear()
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}
