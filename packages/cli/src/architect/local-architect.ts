import { randomBytes } from 'node:crypto'
import { createRouter, type RouterOptions } from '@faust/router'
import type { Logger } from 'pino'
import { explainListenError } from '../listen-error.js'
import type { Architect } from './architect.js'

/** Options of {@link startLocalArchitect}. */
export interface LocalArchitectOptions {
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  /** The prepared site (page, `wrap_crowd_source.js`, `task_config.json`). */
  readonly siteDir: string
  /** Where workers' uploads land; the backend copies them from there. */
  readonly uploadDir: string
  readonly logger: Logger
  /** `faust run`'s router flags (uploads, security headers, Origin check, JSON limits); unset ones keep the router's defaults. */
  readonly surface?: Partial<RouterOptions> | undefined
}

/** Starts a router in this process, with a secret only this process knows. */
export async function startLocalArchitect(options: LocalArchitectOptions): Promise<Architect> {
  const token = randomBytes(24).toString('base64url')
  const logger = options.logger.child({ name: 'faust-router' })
  const router = await explainListenError(options, () =>
    createRouter({
      ...options.surface,
      backendToken: token,
      host: options.host,
      port: options.port,
      staticDir: options.siteDir,
      uploadDir: options.uploadDir,
      logger,
    }),
  )
  return {
    access: {
      socketUrl: router.socketUrl,
      httpUrl: router.url,
      token,
      uploadDir: router.uploadDir,
    },
    url: router.url,
    router,
    backendLeaving() {
      // Only the default level is quietened: at info or debug the user asked to see it all.
      if (logger.level === 'warn') logger.level = 'error'
    },
    close: () => router.close(),
  }
}
