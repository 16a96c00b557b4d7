// A task's own review view (docs/console.md, "The task's own review view"): a
// module `faust run` bundled from the task's `review` file, served by the
// console at a versioned same-origin address. Loaded once per address; it
// brings its own React, so the console only hands it an element and props.
import type { MountedReview, ReviewProps } from '@faust/react/review'
import { useEffect, useState } from 'react'
import { getJson } from './client.js'

/** What the bundle exports (see @faust/cli's build-review entry). */
export interface ReviewModule {
  mount(element: Element, props: ReviewProps, onError: (message: string) => void): MountedReview
}

/** The task has no view of its own, it is loading, it loaded, or it failed to. */
export type ReviewComponentState =
  | { readonly state: 'none' | 'loading' }
  | { readonly state: 'ready'; readonly module: ReviewModule }
  | { readonly state: 'failed'; readonly message: string }

interface ComponentAddress {
  readonly script: string
  readonly style: string | null
}

const modules = new Map<string, Promise<ReviewModule>>()

function loadModule(address: ComponentAddress): Promise<ReviewModule> {
  let loading = modules.get(address.script)
  if (loading === undefined) {
    if (address.style !== null) addStyle(address.style)
    loading = (import(/* @vite-ignore */ address.script) as Promise<Partial<ReviewModule>>).then(
      (module) => {
        if (typeof module.mount !== 'function') throw new Error('the bundle exports no mount()')
        return module as ReviewModule
      },
    )
    // A failed load may be retried on the next visit (a rebuilt bundle, a network blip).
    loading.catch(() => modules.delete(address.script))
    modules.set(address.script, loading)
  }
  return loading
}

function addStyle(href: string): void {
  const link = document.createElement('link')
  link.rel = 'stylesheet'
  link.href = href
  document.head.append(link)
}

/** The review view of `taskName`, loaded on first use. */
export function useReviewComponent(taskName: string): ReviewComponentState {
  const [state, setState] = useState<ReviewComponentState>({ state: 'loading' })
  useEffect(() => {
    let current = true
    const settle = (next: ReviewComponentState): void => {
      if (current) setState(next)
    }
    setState({ state: 'loading' })
    getJson<{ component: ComponentAddress | null }>(
      `/api/tasks/${encodeURIComponent(taskName)}/review-component`,
    )
      .then(async ({ component }) => {
        if (component === null) return settle({ state: 'none' })
        settle({ state: 'ready', module: await loadModule(component) })
      })
      .catch((error: unknown) =>
        settle({
          state: 'failed',
          message: error instanceof Error ? error.message : String(error),
        }),
      )
    return () => {
      current = false
    }
  }, [taskName])
  return state
}
