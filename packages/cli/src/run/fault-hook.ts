// The backend's one fault hook, for `faust simulate --chaos disk`: off unless
// FAUST_FAULT_HOOK=1. Then SIGUSR2 makes the store's disk "full" (a real
// SQLITE_FULL for writes that need a new page) for FAUST_FAULT_DISK_FULL_MS
// (default 3000). See docs/reliability.md.
import { limitStoreGrowth, type Store } from '@faust/backend/store'
import type { Logger } from 'pino'

const DEFAULT_DISK_FULL_MS = 3000

/** Installs the hook when the environment asks for it; returns its removal. */
export function installFaultHook(store: Store, logger: Logger): () => void {
  if (process.env['FAUST_FAULT_HOOK'] !== '1') return () => undefined
  const ms = Number(process.env['FAUST_FAULT_DISK_FULL_MS'] ?? DEFAULT_DISK_FULL_MS)
  let active = false
  const onSignal = (): void => {
    if (active) return
    active = true
    logger.warn({ fault: 'disk-full', ms }, 'fault hook: the disk is full now')
    void limitStoreGrowth(store)
      .then(
        (lift) =>
          new Promise<void>((resolve) => {
            setTimeout(() => {
              lift().then(resolve, resolve)
            }, ms).unref()
          }),
      )
      .catch((error: unknown) => {
        logger.error({ err: error }, 'fault hook: could not fill the disk')
      })
      .finally(() => {
        active = false
        logger.warn({ fault: 'disk-full' }, 'fault hook: the disk has room again')
      })
  }
  process.on('SIGUSR2', onSignal)
  return () => {
    process.off('SIGUSR2', onSignal)
  }
}
