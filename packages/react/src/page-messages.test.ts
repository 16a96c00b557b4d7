// @vitest-environment jsdom
import { createElement, type ReactNode } from 'react'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createMessageBook } from '@faust/client'
import { createPageMessages } from './page-messages.js'

const kit = createPageMessages(
  createMessageBook({
    en: { greet: 'Hello {name}', bye: 'Bye' },
    es: { greet: 'Hola {name}', bye: 'Adiós' },
  }),
)

function Greeting(): ReactNode {
  const t = kit.useMessages()
  return createElement('p', null, `${t.text('greet', { name: 'Ada' })}, ${t.text('bye')}`)
}

function Page({ taskConfig }: { readonly taskConfig: unknown }): ReactNode {
  const messages = kit.useMessagesFor(taskConfig)
  return createElement(kit.Provider, { value: messages }, createElement(Greeting))
}

/** `<html lang>`, read through a structural type: the tests' tsconfig has no DOM lib. */
function htmlLang(): string {
  return (globalThis as unknown as { document: { documentElement: { lang: string } } }).document
    .documentElement.lang
}

describe('createPageMessages', () => {
  it("gives the views below the page's texts in the task's language, overrides first, and marks the document", () => {
    render(
      createElement(Page, {
        taskConfig: { locale: 'es-MX', messages: { es: { bye: 'Chao' } } },
      }),
    )
    expect(screen.getByText('Hola Ada, Chao')).toBeTruthy()
    expect(htmlLang()).toBe('es-MX')
  })

  it('is English without a Provider, and for a task config without a locale', () => {
    render(createElement(Greeting))
    expect(screen.getByText('Hello Ada, Bye')).toBeTruthy()
    render(createElement(Page, { taskConfig: {} }))
    expect(screen.getAllByText('Hello Ada, Bye')).toHaveLength(2)
    expect(htmlLang()).toBe('en')
  })
})
