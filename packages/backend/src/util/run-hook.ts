import type { BackendLogger } from './logger.js'

/**
 * Runs requester code (a hook, a validator, a provider call) so that a throw
 * is logged with the hook's name and the run keeps going. Returns the hook's
 * result, or `undefined` if it threw.
 */
export async function runHook<TResult>(
  logger: BackendLogger,
  hook: string,
  fn: () => TResult | Promise<TResult>,
): Promise<TResult | undefined> {
  try {
    return await fn()
  } catch (error) {
    logger.error({ err: error, hook }, `task code '${hook}' threw; the run goes on`)
    return undefined
  }
}
