'use client'

import { createContext, useContext, useEffect, type ReactNode } from 'react'
import type { TaskClient } from '@faust/client'

/** The {@link TaskClient} of the nearest {@link FaustProvider}, or null. */
export const FaustContext = createContext<TaskClient | null>(null)

/** Props of {@link FaustProvider}. */
export interface FaustProviderProps {
  /** The page's client; its creator owns it (the provider starts it, never stops it). */
  readonly client: TaskClient
  readonly children?: ReactNode
}

/**
 * Gives the components below one shared {@link TaskClient}: every hook of
 * this package then uses it instead of creating its own.
 *
 * @example
 * const client = createTaskClient({ live: true })
 * root.render(<FaustProvider client={client}><App /></FaustProvider>)
 */
export function FaustProvider({ client, children }: FaustProviderProps): ReactNode {
  useEffect(() => {
    void client.start()
  }, [client])
  return <FaustContext.Provider value={client}>{children}</FaustContext.Provider>
}

/** The client of the nearest {@link FaustProvider}; throws without one. */
export function useFaustClient(): TaskClient {
  const client = useContext(FaustContext)
  if (client === null) {
    throw new Error('useFaustClient() needs a <FaustProvider client={…}> above this component')
  }
  return client
}
