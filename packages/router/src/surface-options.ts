import { buildContentSecurityPolicy } from './http/content-security-policy.js'
import { ROUTER_DEFAULTS } from './router-defaults.js'

/**
 * The router options that guard its public surface: uploads, the browser
 * security headers and the Origin check of worker sockets.
 */
export interface SurfaceOptions {
  /** Multipart uploads received at once; one more is refused 503 with Retry-After. @default 20 */
  readonly maxConcurrentUploads?: number | undefined
  /** An upload that sends nothing this long is ended 408 and its partial files removed. @default 30000 */
  readonly uploadIdleTimeoutMs?: number | undefined
  /** An upload still arriving after this long is ended 408. @default 600000 */
  readonly uploadTotalTimeoutMs?: number | undefined
  /** Replaces the task page's Content-Security-Policy whole ('' sends none). @default Faust's policy */
  readonly csp?: string | undefined
  /** `directive source…; …` appended to the policy, e.g. `connect-src https://api.example.com`. */
  readonly cspExtra?: string | undefined
  /** Origins besides 'self' that may frame the page (ignored with `csp`). @default ['https://*.mturk.com'] */
  readonly frameAncestors?: readonly string[] | undefined
  /**
   * The origin workers open the page at (`https://tasks.example.com` behind a
   * proxy). Worker sockets must come from it; without it, from the `Host`
   * the socket was asked for.
   */
  readonly publicOrigin?: string | undefined
  /** More origins whose pages may open worker sockets. @default [] */
  readonly allowedOrigins?: readonly string[] | undefined
}

/** {@link SurfaceOptions} with defaults applied and the policy built. */
export interface ResolvedSurfaceOptions {
  readonly maxConcurrentUploads: number
  readonly uploadIdleTimeoutMs: number
  readonly uploadTotalTimeoutMs: number
  /** The Content-Security-Policy header's value; '' for none. */
  readonly contentSecurityPolicy: string
  readonly publicOrigin: string | undefined
  readonly allowedOrigins: readonly string[]
}

/** Applies defaults; a bad value is a TypeError or RangeError naming the option. */
export function resolveSurfaceOptions(options: SurfaceOptions): ResolvedSurfaceOptions {
  return {
    maxConcurrentUploads: positiveInteger(
      'maxConcurrentUploads',
      options.maxConcurrentUploads,
      ROUTER_DEFAULTS.maxConcurrentUploads,
    ),
    uploadIdleTimeoutMs: positiveInteger(
      'uploadIdleTimeoutMs',
      options.uploadIdleTimeoutMs,
      ROUTER_DEFAULTS.uploadIdleTimeoutMs,
    ),
    uploadTotalTimeoutMs: positiveInteger(
      'uploadTotalTimeoutMs',
      options.uploadTotalTimeoutMs,
      ROUTER_DEFAULTS.uploadTotalTimeoutMs,
    ),
    contentSecurityPolicy: buildContentSecurityPolicy({
      csp: options.csp,
      cspExtra: options.cspExtra ?? '',
      frameAncestors: options.frameAncestors ?? ROUTER_DEFAULTS.frameAncestors,
    }),
    publicOrigin:
      options.publicOrigin === undefined ? undefined : origin('publicOrigin', options.publicOrigin),
    allowedOrigins: (options.allowedOrigins ?? []).map((value) => origin('allowedOrigins', value)),
  }
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback
  if (!Number.isSafeInteger(chosen) || chosen < 1) {
    throw new RangeError(`${name} must be a whole number of at least 1, got ${String(chosen)}`)
  }
  return chosen
}

/** `https://Example.com:443/path` → `https://example.com`, the form browsers send. */
function origin(name: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new RangeError(
      `${name} must be an origin such as https://tasks.example.com, got '${value}'`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`${name} must be an http(s) origin, got '${value}'`)
  }
  return url.origin
}
