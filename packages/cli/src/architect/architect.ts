import type { RouterAccess } from '@faust/backend'
import type { Router } from '@faust/router'

/**
 * The router a run uses (Mephisto's "architect"): how the backend reaches it,
 * the address workers open, and how to let it go when the run ends.
 */
export interface Architect {
  readonly access: RouterAccess
  /** `http(s)://host:port`, without a trailing slash: the task page. */
  readonly url: string
  /** The router, when this process runs it (for metrics); unset for a remote one. */
  readonly router?: Pick<Router, 'observe' | 'stats'> | undefined
  /**
   * The run is ending, so the backend's disconnect is expected: a local
   * router at the default `warn` level stops warning about it.
   */
  backendLeaving(): void
  /** Stops a router this process started; a remote one is left running. */
  close(): Promise<void>
}
