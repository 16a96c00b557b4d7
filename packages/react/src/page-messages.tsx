'use client'

import { createContext, useContext, useEffect, useMemo, type Provider } from 'react'
import { messagesOptionsOf, type Messages, type MessagesOptions } from '@faust/client'

/** What {@link createPageMessages} gives a page: its texts in a context. */
export interface PageMessagesKit<K extends string> {
  /** Provides the page's texts (from {@link PageMessagesKit.useMessagesFor}) to every view below. */
  readonly Provider: Provider<Messages<K>>
  /** The page's texts, from the nearest Provider (English without one). */
  readonly useMessages: () => Messages<K>
  /**
   * The page's texts for a task config (`locale`, `messages` from
   * `defineTask`), and the document marked with their language, so screen
   * readers pronounce it right (docs/client.md, "Worker messages and languages").
   */
  readonly useMessagesFor: (taskConfig: unknown) => Messages<K>
}

/**
 * A page's own catalogue (from `createMessageBook`) in a React context: one
 * call gives the Provider and the hooks every page otherwise writes itself.
 */
export function createPageMessages<K extends string>(
  book: (options?: MessagesOptions) => Messages<K>,
): PageMessagesKit<K> {
  const Context = createContext<Messages<K>>(book())
  return {
    Provider: Context.Provider,
    useMessages: () => useContext(Context),
    useMessagesFor: (taskConfig) => {
      const messages = useMemo(() => book(messagesOptionsOf(taskConfig)), [taskConfig])
      useEffect(() => {
        // Read through a structural type: the tests' tsconfig has no DOM lib.
        const root = (globalThis as { document?: { documentElement: { lang: string } } }).document
        if (root !== undefined) root.documentElement.lang = messages.locale
      }, [messages.locale])
      return messages
    },
  }
}
