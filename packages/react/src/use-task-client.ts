'use client'

import { useContext, useEffect, useState } from 'react'
import { createTaskClient, type TaskClient, type TaskClientOptions } from '@faust/client'
import { FaustContext } from './faust-provider.js'

/**
 * The provider's client, or one this component creates once and owns. The
 * client is started on mount; an owned one is stopped on unmount (and, under
 * StrictMode's remount, started again where it left off).
 */
export function useTaskClient(options?: TaskClientOptions): TaskClient {
  const shared = useContext(FaustContext)
  const [owned] = useState(() => (shared === null ? createTaskClient(options) : null))
  const client = shared ?? owned
  if (client === null) {
    throw new Error('the <FaustProvider> above this component was removed after it mounted')
  }
  useEffect(() => {
    void client.start()
    return () => {
      if (client === owned) client.stop()
    }
  }, [client, owned])
  return client
}
