import type { MTurkClient } from '@aws-sdk/client-mturk'
import type { Clock } from '@faust/protocol'
import type { BackendLogger } from '../../util/logger.js'
import { mturkError } from './mturk-errors.js'
import type { QualificationTypes } from './mturk-qualifications.js'

/** Runs one SDK call, turning what it throws into a ProviderError named after `operation`. */
export type Call = <T>(operation: string, run: () => Promise<T>) => Promise<T>

export const call: Call = async (operation, run) => {
  try {
    return await run()
  } catch (error) {
    throw mturkError(operation, error)
  }
}

/** What the parts of the MTurk platform share. */
export interface MturkContext {
  readonly client: MTurkClient
  readonly clock: Clock
  readonly logger: BackendLogger
  readonly qualifications: QualificationTypes
  readonly sandbox: boolean
  readonly lifetimeSeconds: number
  readonly autoApprovalDelaySeconds: number
}
