import type { Architect } from './architect.js'

/** Options of {@link remoteArchitect}. */
export interface RemoteArchitectOptions {
  /** The router's address, `http(s)://host:port` (a path prefix is kept). */
  readonly url: string
  /** The router's backend token (`faust router --backend-token`). */
  readonly token: string
}

/**
 * A router already running elsewhere (`faust router`). The backend connects
 * to it over ws(s); uploads are downloaded from it, since its folder is not
 * ours.
 */
export function remoteArchitect(options: RemoteArchitectOptions): Architect {
  let parsed: URL
  try {
    parsed = new URL(options.url)
  } catch {
    throw new Error(`--router-url: not a URL: ${options.url}`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`--router-url: expected an http:// or https:// address, got ${options.url}`)
  }
  if (options.token === '')
    throw new Error('--router-token: the backend token of the router is empty')
  const path = parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`
  const httpUrl = `${parsed.origin}${path.slice(0, -1)}`
  const socketScheme = parsed.protocol === 'https:' ? 'wss:' : 'ws:'
  return {
    access: { socketUrl: `${socketScheme}//${parsed.host}${path}`, httpUrl, token: options.token },
    url: httpUrl,
    backendLeaving: () => undefined,
    close: () => Promise.resolve(),
  }
}
