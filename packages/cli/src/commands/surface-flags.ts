import { type Command, Option } from 'commander'
import type { RouterOptions } from '@faust/router'
import { ROUTER_DEFAULTS as D } from '@faust/router/defaults'
import { parseNonNegativeInteger } from '../parse-number.js'

/** The parsed surface flags (see {@link addSurfaceOptions}). */
export interface SurfaceFlags {
  maxConcurrentUploads?: number
  uploadIdleTimeoutMs?: number
  uploadTotalTimeoutMs?: number
  csp?: string
  cspExtra?: string
  frameAncestors?: string[]
  allowedOrigins?: string[]
  publicOrigin?: string
}

/** `a, b c` → ['a', 'b', 'c']: lists of origins, comma- or space-separated. */
export function parseList(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item !== '')
}

/**
 * Adds the flags that guard the router's public surface (uploads, security
 * headers, the Origin check) to a command that starts a router: `faust
 * router` and `faust run`. Defaults are the router's own, shown in the text.
 */
export function addSurfaceOptions(command: Command): Command {
  const integer = (flags: string, description: string, env: string): Option =>
    new Option(flags, description).env(env).argParser(parseNonNegativeInteger)
  const list = (flags: string, description: string, env: string): Option =>
    new Option(flags, description).env(env).argParser(parseList)
  return command
    .addOption(
      integer(
        '--max-concurrent-uploads <n>',
        `uploads received at once; more are refused 503 (default ${String(D.maxConcurrentUploads)})`,
        'FAUST_MAX_CONCURRENT_UPLOADS',
      ),
    )
    .addOption(
      integer(
        '--upload-idle-timeout-ms <n>',
        `an upload that sends nothing this long is ended 408 (default ${String(D.uploadIdleTimeoutMs)})`,
        'FAUST_UPLOAD_IDLE_TIMEOUT_MS',
      ),
    )
    .addOption(
      integer(
        '--upload-total-timeout-ms <n>',
        `an upload still arriving after this long is ended 408 (default ${String(D.uploadTotalTimeoutMs)})`,
        'FAUST_UPLOAD_TOTAL_TIMEOUT_MS',
      ),
    )
    .addOption(
      new Option(
        '--csp <policy>',
        "replaces the task page's Content-Security-Policy ('' sends none)",
      ).env('FAUST_CSP'),
    )
    .addOption(
      new Option(
        '--csp-extra <sources>',
        "appended to the policy: 'connect-src https://api.example.com; img-src …'",
      ).env('FAUST_CSP_EXTRA'),
    )
    .addOption(
      list(
        '--frame-ancestors <origins>',
        `origins besides the router that may frame the page (default ${D.frameAncestors.join(', ')})`,
        'FAUST_FRAME_ANCESTORS',
      ),
    )
    .addOption(
      list(
        '--allowed-origins <origins>',
        "other sites' pages that may open worker sockets (comma-separated)",
        'FAUST_ALLOWED_ORIGINS',
      ),
    )
    .addOption(
      new Option(
        '--public-origin <origin>',
        'the origin workers open the page at (behind a proxy); worker sockets must come from it',
      ).env('FAUST_PUBLIC_ORIGIN'),
    )
}

/** The router options the surface flags set; unset flags leave the router's defaults. */
export function surfaceRouterOptions(flags: SurfaceFlags): Partial<RouterOptions> {
  return {
    maxConcurrentUploads: flags.maxConcurrentUploads,
    uploadIdleTimeoutMs: flags.uploadIdleTimeoutMs,
    uploadTotalTimeoutMs: flags.uploadTotalTimeoutMs,
    csp: flags.csp,
    cspExtra: flags.cspExtra,
    frameAncestors: flags.frameAncestors,
    allowedOrigins: flags.allowedOrigins,
    publicOrigin: flags.publicOrigin,
  }
}
