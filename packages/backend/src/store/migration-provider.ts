import type { Migration, MigrationProvider } from 'kysely'
import * as initial from './migrations/0001-initial.js'
import * as launchableUnitsIndex from './migrations/0002-launchable-units-index.js'
import * as remoteProcedureCalls from './migrations/0003-remote-procedure-calls.js'
import * as liveUpdates from './migrations/0004-live-updates.js'
import * as unitsAgentIndex from './migrations/0005-units-agent-index.js'
import * as submissionKey from './migrations/0006-submission-key.js'
import * as agentDeadlines from './migrations/0007-agent-deadlines.js'
import * as providerRecords from './migrations/0008-provider-records.js'
import * as auditLog from './migrations/0009-audit-log.js'
import * as agentEvents from './migrations/0011-agent-events.js'

/**
 * Every migration, by name. Names sort in application order, and a released
 * migration is never edited: schema changes are new files.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-launchable-units-index': launchableUnitsIndex,
  '0003-remote-procedure-calls': remoteProcedureCalls,
  '0004-live-updates': liveUpdates,
  '0005-units-agent-index': unitsAgentIndex,
  '0006-submission-key': submissionKey,
  '0007-agent-deadlines': agentDeadlines,
  '0008-provider-records': providerRecords,
  '0009-audit-log': auditLog,
  '0011-agent-events': agentEvents,
}

/**
 * Supplies {@link MIGRATIONS} from code rather than by scanning a folder, so
 * the compiled package needs no migration files on disk at run time.
 */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
}
