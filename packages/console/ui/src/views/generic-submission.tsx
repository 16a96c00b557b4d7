// The console's own view of a submission, for tasks without a review view of
// their own: what was submitted, a live task's conversation, and the item the
// worker was given (folded: it is the same for every worker of the assignment).
import type { LiveUpdate, ReviewItem } from '../api/types.js'
import { KeyValues } from '../components/key-values.js'
import { formatClock } from '../format.js'

export function GenericSubmission({ item }: { readonly item: ReviewItem }) {
  return (
    <div className="review-data">
      <KeyValues value={item.data} />
      {item.liveUpdates.length > 0 && <Conversation updates={item.liveUpdates} />}
      {item.item !== null && item.item !== undefined && (
        <details className="unit-item">
          <summary>The item this worker was given</summary>
          <KeyValues value={item.item} />
        </details>
      )}
    </div>
  )
}

/** A live task's updates both ways, oldest first: who sent each, when, and what. */
function Conversation({ updates }: { readonly updates: readonly LiveUpdate[] }) {
  return (
    <details className="conversation">
      <summary>Live updates ({updates.length})</summary>
      <ol>
        {updates.map((update, index) => (
          <li key={index} data-direction={update.direction}>
            <span className="muted">
              {formatClock(update.at)} {update.direction === 'from_agent' ? 'worker' : 'task'}:
            </span>{' '}
            <KeyValues value={withoutUpdateId(update.data)} inline />
          </li>
        ))}
      </ol>
    </details>
  )
}

/** The message without its `update_id`, a delivery detail of the protocol. */
function withoutUpdateId(data: LiveUpdate['data']): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'update_id'))
}
