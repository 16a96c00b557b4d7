import { FailureReason } from '@faust/protocol/constants'
import { en, type MessageKey } from './en.js'
import { es } from './es.js'
import {
  createMessageBook,
  type Messages,
  type MessageOverrides,
  type MessagesOptions,
} from './message-book.js'

export { en, es }
export type { MessageKey }

/** The worker-facing texts of `@faust/client` in one language. */
export type ClientMessages = Messages<MessageKey>

/** The languages shipped with the client, by locale. */
export const CATALOGUES = { en, es } as const

/**
 * The client's texts in `locale`, with a task's `overrides` (by locale, then
 * key) winning; a key missing in that language is English.
 *
 * @example createMessages({ locale: 'es', overrides: { es: { 'screen.submitted.title': '¡Listo!' } } })
 */
export const createMessages: (options?: MessagesOptions) => ClientMessages =
  createMessageBook<MessageKey>(CATALOGUES)

/** The language and overrides a task set (`defineTask({ locale, messages })`), from `task_config.json`. */
export function messagesOptionsOf(taskConfig: unknown): MessagesOptions {
  if (typeof taskConfig !== 'object' || taskConfig === null) return {}
  const { locale, messages } = taskConfig as { locale?: unknown; messages?: unknown }
  return {
    locale: typeof locale === 'string' && locale !== '' ? locale : undefined,
    overrides:
      typeof messages === 'object' && messages !== null
        ? (messages as MessageOverrides)
        : undefined,
  }
}

/** The client's texts for a task's config: English for a backend that sets no locale (Mephisto). */
export function messagesForTaskConfig(taskConfig: unknown): ClientMessages {
  return createMessages(messagesOptionsOf(taskConfig))
}

/** A refusal's key: one of {@link FailureReason}'s names. */
export type RefusalKey = keyof typeof FailureReason

const REFUSAL_BY_TEXT: ReadonlyMap<string, RefusalKey> = new Map(
  Object.entries(FailureReason).map(([key, text]) => [text, key as RefusalKey]),
)

/**
 * The key of a backend's `failure_reason` text, by reverse lookup, so a
 * Mephisto backend's texts map too; null for a text we do not know (shown verbatim).
 */
export function refusalKeyOf(failureReason: string): RefusalKey | null {
  return REFUSAL_BY_TEXT.get(failureReason) ?? null
}

/**
 * A blocked screen's heading: the refusal's own (each says whether waiting
 * helps), else the blocked reason's or status's, else a general one.
 */
export function blockedTitle(
  state: { readonly blockedReason: string | null; readonly refusal?: RefusalKey | null },
  messages: ClientMessages,
): string {
  const refusal = state.refusal ?? null
  if (state.blockedReason === 'null_agent_id' && refusal !== null) {
    return messages.text(`refusal.${refusal}.title`)
  }
  const key = `blocked.${state.blockedReason ?? ''}.title`
  return messages.has(key) ? messages.text(key) : messages.text('screen.blocked.title')
}

export { createMessageBook }
export type {
  Catalogues,
  MessageOverrides,
  MessageParams,
  Messages,
  MessagesOptions,
} from './message-book.js'
