'use client'

// @faust/react/review: what a task's own review component (`defineTask({ review })`)
// is given, and how the console mounts it. The console loads the component as a
// separate bundle with its own copy of React, so the console and the component
// never share a React tree: the console hands over a DOM element and plain data.
import { Component, type ComponentType, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'

/** A file the worker uploaded, as the console serves it. */
export interface ReviewFile {
  readonly id: string
  readonly name: string
  readonly size: number
  readonly mimetype: string
  /** Same-origin address on the console; use it in `href` or `src`. */
  readonly url: string
}

/** One live update of a concurrent task: what the task sent (`to_agent`) or the page sent (`from_agent`). */
export interface ReviewLiveUpdate {
  readonly direction: 'to_agent' | 'from_agent'
  readonly data: Readonly<Record<string, unknown>>
  /** Milliseconds since the epoch. */
  readonly at: number
}

/** The unit under review, and where its review stands. */
export interface ReviewUnit {
  readonly unitId: string
  readonly agentId: string
  readonly workerId: string
  readonly workerName: string
  readonly taskName: string
  /** Milliseconds since the epoch. */
  readonly submittedAt: number
  readonly reviewStatus: 'pending' | 'approved' | 'rejected' | 'soft_rejected'
  readonly reviewReason: string | null
  readonly bonusCents: number
}

/**
 * The props of a task's review component. `Item` is the data item the page was
 * given (the task's `data`), `Data` what the page submitted.
 */
export interface ReviewProps<Data = unknown, Item = unknown> {
  readonly unit: ReviewUnit
  readonly item: Item
  readonly data: Data
  readonly files: readonly ReviewFile[]
  readonly liveUpdates: readonly ReviewLiveUpdate[]
}

/** Where {@link mountReview} draws, what, and who hears of a component that throws. */
export interface MountTarget<Data = unknown, Item = unknown> {
  readonly element: Element
  readonly props: ReviewProps<Data, Item>
  readonly onError?: ((message: string) => void) | undefined
}

/** What {@link mountReview} returns: show another unit, or take the component away. */
export interface MountedReview<Data = unknown, Item = unknown> {
  update(props: ReviewProps<Data, Item>): void
  unmount(): void
}

/**
 * Renders `Review` into `element` with its own React root. A component that
 * throws is replaced by its error message, or reported to `onError` when given,
 * rather than taking the console's queue down with it.
 */
export function mountReview<Data, Item>(
  Review: ComponentType<ReviewProps<Data, Item>>,
  target: MountTarget<Data, Item>,
): MountedReview<Data, Item> {
  const { element, props, onError } = target
  const root = createRoot(element)
  const render = (next: ReviewProps<Data, Item>): void => {
    // Keyed by unit: a new unit starts from fresh component state.
    root.render(
      <ReviewErrorBoundary key={next.unit.unitId} onError={onError}>
        <Review {...next} />
      </ReviewErrorBoundary>,
    )
  }
  render(props)
  return { update: render, unmount: () => root.unmount() }
}

interface BoundaryProps {
  readonly onError?: ((message: string) => void) | undefined
  readonly children?: ReactNode
}

class ReviewErrorBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error }
  }

  override componentDidCatch(error: Error): void {
    this.props.onError?.(error.message)
  }

  override render(): ReactNode {
    const { error } = this.state
    if (error === null) return this.props.children
    // The console says so beside the view; a page of one's own gets the message here.
    if (this.props.onError !== undefined) return null
    return (
      <div role="alert">
        The task&apos;s review component failed: <code>{error.message}</code>
      </div>
    )
  }
}
