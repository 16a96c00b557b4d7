import type { Clock, Logger } from '@faust/protocol'
import type { Store } from '@faust/backend/store'
import type { ConsoleActions } from '../console-actions.js'
import type { LiveRuns } from '../model/runs-model.js'
import type { Sessions } from './security.js'

/** What every route of the console reads. */
export interface ConsoleContext {
  readonly store: Store
  readonly actions: ConsoleActions
  readonly clock: Clock
  /** The runs this process serves live; null for `faust console` on a data folder. */
  readonly live: LiveRuns | null
  readonly sessions: Sessions
  readonly logger: Logger
  readonly version: string
  /** How often `/api/stream` polls the store's change cursor. */
  readonly pollMs: number
  /** Where the tasks' built review views are (`<data folder>/review`); null: none served. */
  readonly reviewDir: string | null
}
