/** Parameters of a message: `{name}` in the text is replaced by `params.name`. */
export type MessageParams = Readonly<Record<string, string | number>>

/**
 * A task's own words, by locale then key (`taskConfig.messages`): they win
 * over the shipped catalogues, and a locale nobody ships can be given whole.
 */
export type MessageOverrides = Readonly<
  Record<string, Readonly<Record<string, string>> | undefined>
>

/** The catalogues of a book: English complete, any other locale partial. */
export interface Catalogues<K extends string> {
  readonly en: Readonly<Record<K, string>>
  readonly [locale: string]: Readonly<Partial<Record<K, string>>> | undefined
}

/** Options of a book's `create`: which language, and the task's overrides. */
export interface MessagesOptions {
  /** A BCP 47 tag (`es`, `es-MX`); `es-MX` falls back to `es`, then English. @default 'en' */
  readonly locale?: string | undefined
  readonly overrides?: MessageOverrides | undefined
}

/** The texts of one language. */
export interface Messages<K extends string> {
  /** The locale asked for, for the `lang` attribute of what shows the texts. */
  readonly locale: string
  /** The text of `key` with `{param}`s replaced; English when the language lacks it. */
  text(key: K, params?: MessageParams): string
  /** Whether `key` is one of this book's keys (reasons and statuses come from the wire). */
  has(key: string): key is K
}

/**
 * A set of catalogues sharing keys: `@faust/client`'s, or a task's own
 * (an example's buttons and instructions), so every text a worker sees is
 * looked up the same way. About forty lines, so no i18n library: plural
 * rules and dates are not needed by any text here.
 */
export function createMessageBook<K extends string>(
  catalogues: Catalogues<K>,
): (options?: MessagesOptions) => Messages<K> {
  return ({ locale = 'en', overrides = {} } = {}) => {
    // Most specific first: the task's `es-MX`, ours, the task's `es`, ours, then English.
    const chain = fallbackLocales(locale).flatMap((tag) => [overrides[tag], catalogues[tag]])
    const has = (key: string): key is K => Object.hasOwn(catalogues.en, key)
    return {
      locale,
      has,
      text(key, params) {
        for (const table of chain) {
          // hasOwn: a key such as `constructor` must not find Object.prototype's.
          if (table !== undefined && Object.hasOwn(table, key)) {
            return interpolate((table as Record<string, string>)[key] as string, params)
          }
        }
        return interpolate(catalogues.en[key], params)
      },
    }
  }
}

/** `es-MX` → `es-MX`, `es`, `en` (each once). */
function fallbackLocales(locale: string): string[] {
  const tags = [locale]
  const base = locale.split('-')[0]
  if (base !== undefined && base !== locale) tags.push(base)
  if (!tags.includes('en')) tags.push('en')
  return tags
}

function interpolate(text: string, params: MessageParams | undefined): string {
  if (params === undefined) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  )
}
