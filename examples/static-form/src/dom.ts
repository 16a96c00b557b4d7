// A tiny element builder: enough for a few forms without a framework.

type Attributes = Record<string, string | boolean | undefined>
type Child = Node | string | null | undefined | false

/**
 * Creates an element; `true` attributes are set empty, `false`/`undefined` skipped.
 *
 * @example h('label', { for: 'comment' }, 'Comment')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '')
    else if (typeof value === 'string') element.setAttribute(name, value)
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) element.append(child)
  }
  return element
}

/** The element with this id, which the page must have. */
export function byId(id: string): HTMLElement {
  const element = document.getElementById(id)
  if (element === null) throw new Error(`#${id} is missing from index.html`)
  return element
}
