// A worker's page as a crowd platform opens it, for bots in Node: the
// router's own `wrap_crowd_source.js` is fetched and run in node:vm with the
// few browser globals it touches, so a bot registers with exactly the ids the
// real script reads from the platform's URL, and hands in exactly as the
// script would (a redirect, or a form posted back to the platform).
import { runInNewContext } from 'node:vm'
import { globalProvider, type TaskProvider } from '@faust/client'

/** How the page sent the worker back to the platform. */
export type ProviderExit =
  | { readonly kind: 'redirect'; readonly url: string }
  | {
      readonly kind: 'form'
      readonly method: string
      readonly action: string
      readonly fields: Readonly<Record<string, string>>
    }

/** A page opened at a platform's URL. */
export interface ProviderPage {
  /** The page's origin: the client's `baseUrl`. */
  readonly baseUrl: string
  /** The provider the wrap script defined, for `createTaskClient({ provider })`. */
  readonly provider: TaskProvider
  /** Exits the script took so far (after `handleSubmitToProvider`). */
  readonly exits: readonly ProviderExit[]
  /** Texts of the notices the script showed (e.g. opened outside the platform). */
  readonly notices: readonly string[]
}

interface PageElement {
  tagName: string
  id: string
  textContent: string
  method: string
  action: string
  name: string
  value: string
  type: string
  readonly children: PageElement[]
  readonly style: { cssText: string }
  setAttribute(name: string, value: string): void
  appendChild(child: PageElement): PageElement
  submit(): void
}

/** Opens `pageUrl` (the URL the platform sends the worker to) as the wrap script sees it. */
export async function openProviderPage(pageUrl: string): Promise<ProviderPage> {
  const url = new URL(pageUrl)
  const response = await fetch(new URL('/wrap_crowd_source.js', url.origin))
  if (!response.ok) throw new Error(`wrap_crowd_source.js: HTTP ${String(response.status)}`)
  const script = await response.text()
  const exits: ProviderExit[] = []
  const notices: string[] = []
  const element = (tagName: string): PageElement => ({
    tagName: tagName.toUpperCase(),
    id: '',
    textContent: '',
    method: 'GET',
    action: '',
    name: '',
    value: '',
    type: '',
    children: [],
    style: { cssText: '' },
    setAttribute: () => undefined,
    appendChild(child) {
      this.children.push(child)
      if (this === body && child.textContent !== '') notices.push(child.textContent)
      return child
    },
    submit() {
      const fields = Object.fromEntries(
        this.children.filter((c) => c.name !== '').map((c) => [c.name, c.value]),
      )
      exits.push({ kind: 'form', method: this.method.toUpperCase(), action: this.action, fields })
    },
  })
  const body = element('body')
  const redirect = (target: string): void => {
    exits.push({ kind: 'redirect', url: new URL(target, url).toString() })
  }
  const location = {
    search: url.search,
    origin: url.origin,
    get href(): string {
      return url.toString()
    },
    set href(target: string) {
      redirect(target)
    },
    assign: redirect,
    replace: redirect,
  }
  const window: Record<string, unknown> = { location }
  const document = {
    readyState: 'complete',
    body,
    createElement: element,
    addEventListener: () => undefined,
  }
  runInNewContext(script, { window, document, URLSearchParams, encodeURIComponent })
  return { baseUrl: url.origin, provider: globalProvider(window), exits, notices }
}
