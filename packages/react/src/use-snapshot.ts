'use client'

import { useSyncExternalStore } from 'react'
import type { Subscribable } from '@faust/client'

/** The current snapshot of a client store (`client`, `client.live`), re-rendering on change. */
export function useSnapshot<TSnapshot>(store: Subscribable<TSnapshot>): TSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot)
}
