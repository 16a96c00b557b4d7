// The few DOM members this package touches, typed here: the workspace's
// checks (the root tsconfig, the tests) run without the DOM library, and a
// real HTMLElement or Document is assignable to these.

/** An element the adapter fills: a screen's parts, or jsPsych's display element. */
export interface ElementLike {
  id: string
  textContent: string | null
  lang: string
  tabIndex: number
  readonly dataset: Record<string, string | undefined>
  setAttribute(name: string, value: string): void
  // `unknown`: the DOM's own signatures take nodes and strings.
  append(...nodes: unknown[]): void
  replaceChildren(...nodes: unknown[]): void
  addEventListener(type: string, listener: () => void, options?: { once?: boolean }): void
  focus(): void
}

export interface DocumentLike {
  readonly body: ElementLike
  getElementById(id: string): ElementLike | null
  createElement(tag: string): ElementLike
}

/** The page's document; throws outside a browser (the caller turns it into an error result). */
export function pageDocument(): DocumentLike {
  const { document } = globalThis as { document?: DocumentLike }
  if (document === undefined) {
    throw new Error('runFaustTimeline runs in a browser page: there is no document here')
  }
  return document
}

export function isElementLike(value: unknown): value is ElementLike {
  return typeof value === 'object' && value !== null && 'replaceChildren' in value
}
