import {
  findPublishedRun as findStoredPublishedRun,
  RunError,
  type PublishedRun,
} from '@faust/backend'
import type { Store } from '@faust/backend/store'
import { CliProviderError } from './provider-error.js'

/**
 * The backend's `findPublishedRun` for `faust reconcile`: a run that is not
 * the task's, or not published, is the CLI's own RUN_NOT_PUBLISHED
 * (docs/cli.md lists the CLI's codes), with the backend's message.
 */
export async function findPublishedRun(
  store: Store,
  taskName: string,
  options: Parameters<typeof findStoredPublishedRun>[2] = {},
): Promise<PublishedRun | null> {
  try {
    return await findStoredPublishedRun(store, taskName, options)
  } catch (error) {
    if (error instanceof RunError && error.code === 'RUN_NOT_PUBLISHED') {
      throw new CliProviderError(error.code, error.message, { cause: error })
    }
    throw error
  }
}
