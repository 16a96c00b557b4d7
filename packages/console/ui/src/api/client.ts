// Calls the console's API with the session cookie (sent by the browser) and,
// on every POST, the CSRF header from /api/session.
import type { Session } from './types.js'

/** An API answer that was not 2xx, with the server's stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

let csrf: string | null = null

async function failure(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`
  let message = response.statusText
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } }
    if (body.error?.code !== undefined) code = body.error.code
    if (body.error?.message !== undefined) message = body.error.message
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, code, message)
}

/** GETs `path` and parses its JSON. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
    ...(signal === undefined ? {} : { signal }),
  })
  if (!response.ok) throw await failure(response)
  return (await response.json()) as T
}

/** POSTs `body` as JSON with the CSRF header and parses the JSON answer. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  if (csrf === null) await loadSession()
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      'x-faust-csrf': csrf ?? '',
    },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw await failure(response)
  return (await response.json()) as T
}

/** Reads the session (and keeps its CSRF token for the POSTs). */
export async function loadSession(): Promise<Session> {
  const session = await getJson<Session>('/api/session')
  csrf = session.csrf
  return session
}

/** A short, readable text for any failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`
  if (error instanceof Error) return error.message
  return String(error)
}

/** The stable code of a failure, for the outcome lines. */
export function errorCode(error: unknown): string {
  return error instanceof ApiError ? error.code : 'NETWORK_ERROR'
}
