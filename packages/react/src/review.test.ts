// @vitest-environment jsdom
import { act, createElement } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { mountReview, type ReviewProps } from './review.js'

/** The DOM as this test uses it (the root tsconfig has no DOM library). */
interface TestElement extends Element {
  readonly textContent: string | null
  querySelector(selector: string): { readonly textContent: string | null } | null
}

function newElement(): TestElement {
  const { document } = globalThis as unknown as {
    document: { createElement(tag: string): TestElement }
  }
  return document.createElement('div')
}

// React's act() environment flag, so state updates flush inside act().
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

function propsFor(unitId: string, text: string): ReviewProps<{ label: string }, { text: string }> {
  return {
    unit: {
      unitId,
      agentId: `agent-${unitId}`,
      workerId: 'w1',
      workerName: 'alice',
      taskName: 'label',
      submittedAt: 0,
      reviewStatus: 'pending',
      reviewReason: null,
      bonusCents: 0,
    },
    item: { text },
    data: { label: 'positive' },
    files: [],
    liveUpdates: [],
  }
}

function Review({ unit, item, data }: ReviewProps<{ label: string }, { text: string }>) {
  return createElement('p', null, `${unit.unitId}: ${item.text} is ${data.label}`)
}

describe('mountReview', () => {
  it('renders into the element, follows update(), and leaves on unmount()', () => {
    const element = newElement()
    let mounted!: ReturnType<typeof mountReview<{ label: string }, { text: string }>>
    act(() => {
      mounted = mountReview(Review, { element, props: propsFor('u1', 'great') })
    })
    expect(element.textContent).toBe('u1: great is positive')
    act(() => mounted.update(propsFor('u2', 'awful')))
    expect(element.textContent).toBe('u2: awful is positive')
    act(() => mounted.unmount())
    expect(element.textContent).toBe('')
  })

  it('reports a component that throws to onError and draws nothing in its place', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const element = newElement()
    const errors: string[] = []
    function Broken(): never {
      throw new Error('cannot draw')
    }
    act(() => {
      mountReview(Broken, {
        element,
        props: propsFor('u1', 'x'),
        onError: (message) => errors.push(message),
      })
    })
    expect(errors).toEqual(['cannot draw'])
    expect(element.textContent).toBe('')
  })

  it('shows the error in place without onError', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const element = newElement()
    function Broken(): never {
      throw new Error('cannot draw')
    }
    act(() => {
      mountReview(Broken, { element, props: propsFor('u1', 'x') })
    })
    expect(element.querySelector('[role="alert"]')?.textContent).toBe(
      "The task's review component failed: cannot draw",
    )
  })
})
