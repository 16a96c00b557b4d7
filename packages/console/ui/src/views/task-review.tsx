// Where a task's own review view draws one submission. The view has its own
// React root inside the element below; the console's React never renders
// into it. A view that throws is reported through onError (see mountReview)
// and its message shown above that element.
import type { MountedReview, ReviewProps } from '@faust/react/review'
import { useEffect, useRef, useState } from 'react'
import type { ReviewModule } from '../api/review-component.js'
import type { ReviewItem } from '../api/types.js'

/** The props the task's view gets for `item` (ReviewProps of @faust/react/review). */
export function reviewPropsOf(item: ReviewItem): ReviewProps {
  return {
    unit: {
      unitId: item.unitId,
      agentId: item.agentId,
      workerId: item.workerId,
      workerName: item.workerName,
      taskName: item.taskName,
      submittedAt: item.submittedAt,
      reviewStatus: item.reviewStatus,
      reviewReason: item.reviewReason,
      bonusCents: item.bonusCents,
    },
    item: item.item,
    data: item.data,
    files: item.files,
    liveUpdates: item.liveUpdates,
  }
}

export function TaskReview(props: { readonly module: ReviewModule; readonly item: ReviewItem }) {
  const { module, item } = props
  const element = useRef<HTMLDivElement>(null)
  const mounted = useRef<MountedReview | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const target = element.current
    if (target === null) return
    try {
      mounted.current = module.mount(target, reviewPropsOf(item), setError)
    } catch (thrown) {
      setError(thrown instanceof Error ? thrown.message : String(thrown))
    }
    return () => {
      const current = mounted.current
      mounted.current = null
      // After this render: React warns when a root is unmounted during another's render.
      if (current !== null) queueMicrotask(() => current.unmount())
    }
    // Mounted once per module: later `item`s go through update() below.
  }, [module])
  useEffect(() => {
    mounted.current?.update(reviewPropsOf(item))
  }, [item])
  return (
    <div className="task-review">
      {error !== null && (
        <p role="alert" className="muted">
          The task&apos;s review view failed: {error}
        </p>
      )}
      <div ref={element} />
    </div>
  )
}
