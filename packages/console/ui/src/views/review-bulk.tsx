// Bulk actions on the review filter: each asks for a confirmation (and a
// reason for a rejection) before it is sent.
import { useState } from 'react'
import { reviewBulk, type Outcome } from '../api/actions.js'
import type { ReviewStatusFilter } from '../api/types.js'
import { ReasonForm } from './review-forms.js'

type BulkKind = 'approve' | 'reject' | 'soft_reject'

const VERB: Readonly<Record<BulkKind, string>> = {
  approve: 'Approve',
  reject: 'Reject',
  soft_reject: 'Soft-reject',
}

export function BulkActions(props: {
  readonly runId: string
  readonly filter: { status: ReviewStatusFilter; worker?: string }
  readonly count: number
  readonly onOutcomes: (lines: readonly Outcome[]) => void
}) {
  const [pending, setPending] = useState<BulkKind | null>(null)
  const [sending, setSending] = useState(false)
  const send = (kind: BulkKind, reason?: string): void => {
    setPending(null)
    setSending(true)
    const action = reason === undefined || reason === '' ? { kind } : { kind, reason }
    void reviewBulk(`${VERB[kind]} all shown:`, {
      runId: props.runId,
      filter: props.filter,
      action,
    }).then((lines) => {
      props.onOutcomes(lines)
      setSending(false)
    })
  }
  const shown = `${props.count} submission${props.count === 1 ? '' : 's'} shown`
  return (
    <section aria-labelledby="bulk-title" className="bulk">
      <h2 id="bulk-title">Bulk actions on the filter</h2>
      <div className="actions">
        {(Object.keys(VERB) as BulkKind[]).map((kind) => (
          <button
            key={kind}
            type="button"
            disabled={props.count === 0 || sending}
            onClick={() => setPending(kind)}
          >
            {VERB[kind]} all shown
          </button>
        ))}
      </div>
      {pending === 'reject' ? (
        <ReasonForm
          legend={`Reject all ${shown}?`}
          submitLabel={`Yes, reject ${props.count}`}
          required
          onCancel={() => setPending(null)}
          onSubmit={(reason) => send('reject', reason)}
        />
      ) : pending !== null ? (
        <ConfirmBox
          question={`${VERB[pending]} all ${shown}?`}
          confirmLabel={`Yes, ${VERB[pending].toLowerCase()} ${props.count}`}
          onCancel={() => setPending(null)}
          onConfirm={() => send(pending)}
        />
      ) : null}
    </section>
  )
}

function ConfirmBox(props: {
  readonly question: string
  readonly confirmLabel: string
  readonly onCancel: () => void
  readonly onConfirm: () => void
}) {
  return (
    <div role="alertdialog" aria-label="Confirm" className="confirm" aria-describedby="confirm-q">
      <p id="confirm-q">{props.question}</p>
      <div className="form-buttons">
        <button type="button" className="primary" autoFocus onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}
