// One submission in the review queue: the generic view of its data and files,
// its review state, the six action buttons and the form one of them opened.
import type { Ref } from 'react'
import type { ReviewItem } from '../api/types.js'
import { StatusBadge } from '../components/badges.js'
import { formatBytes, formatCents, formatTime } from '../format.js'
import type { ReviewComponentState } from '../api/review-component.js'
import { BonusForm, QualifyForm, ReasonForm } from './review-forms.js'
import { GenericSubmission } from './generic-submission.js'
import { TaskReview } from './task-review.js'

export type ItemForm = 'reject' | 'bonus' | 'block' | 'qualify'

export interface ItemActions {
  approve(item: ReviewItem): void
  reject(item: ReviewItem, reason: string): void
  softReject(item: ReviewItem): void
  bonus(item: ReviewItem, amountCents: number, reason: string): void
  block(item: ReviewItem, reason: string): void
  qualify(item: ReviewItem, qualification: string, value: number): void
}

interface ReviewCardProps {
  readonly item: ReviewItem
  readonly selected: boolean
  readonly busy: boolean
  readonly form: ItemForm | null
  readonly onSelect: () => void
  readonly onForm: (form: ItemForm | null) => void
  readonly actions: ItemActions
  readonly cardRef?: Ref<HTMLElement> | undefined
  /** The task's own review view, when it has one. */
  readonly view: ReviewComponentState
}

export function ReviewCard(props: ReviewCardProps) {
  const { item, selected, busy, form, onSelect, onForm, actions, cardRef, view } = props
  const titleId = `unit-${item.unitId}`
  return (
    <article
      ref={cardRef}
      tabIndex={-1}
      className={`card review-card${selected ? ' selected' : ''}`}
      aria-labelledby={titleId}
      aria-current={selected ? 'true' : undefined}
      data-unit={item.unitId}
      onFocus={onSelect}
      onClick={onSelect}
    >
      <h2 id={titleId}>
        Unit {item.unitId} by {item.workerName} <StatusBadge status={item.reviewStatus} />
      </h2>
      <p className="run-meta">
        Submitted {formatTime(item.submittedAt)} · agent <code>{item.agentId}</code>
        {item.providerStatus !== null && <> · provider: {item.providerStatus}</>}
        {item.reviewReason !== null && <> · reason: {item.reviewReason}</>}
        {item.bonusCents > 0 && <> · bonus paid: {formatCents(item.bonusCents)}</>}
      </p>
      <SubmissionView item={item} view={view} />
      {item.files.length > 0 && (
        <ul className="files" aria-label="Submitted files">
          {item.files.map((file) => (
            <li key={file.id}>
              <a href={file.url} download={file.name}>
                {file.name}
              </a>{' '}
              <span className="muted">
                ({formatBytes(file.size)}, {file.mimetype})
              </span>
            </li>
          ))}
        </ul>
      )}
      <ActionButtons item={item} busy={busy} onForm={onForm} actions={actions} />
      {form !== null && <ItemFormPanel item={item} form={form} onForm={onForm} actions={actions} />}
    </article>
  )
}

/**
 * The task's own view of the submission, with the generic one folded away
 * beneath it; the generic view alone when the task has none (or it failed).
 */
function SubmissionView(props: { readonly item: ReviewItem; readonly view: ReviewComponentState }) {
  const { item, view } = props
  const generic = <GenericSubmission item={item} />
  switch (view.state) {
    case 'ready':
      return (
        <>
          <TaskReview module={view.module} item={item} />
          <details className="raw-data">
            <summary>Generic view of the data</summary>
            {generic}
          </details>
        </>
      )
    case 'failed':
      return (
        <>
          <p role="alert" className="muted">
            The task&apos;s review view could not load ({view.message}); showing the data as stored.
          </p>
          {generic}
        </>
      )
    case 'none':
    case 'loading':
      return generic
  }
}

function ActionButtons(props: {
  readonly item: ReviewItem
  readonly busy: boolean
  readonly onForm: (form: ItemForm | null) => void
  readonly actions: ItemActions
}) {
  const { item, busy, onForm, actions } = props
  return (
    <div className="actions" role="group" aria-label={`Actions on unit ${item.unitId}`}>
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => actions.approve(item)}
      >
        Approve
      </button>
      <button type="button" disabled={busy} onClick={() => onForm('reject')}>
        Reject
      </button>
      <button type="button" disabled={busy} onClick={() => actions.softReject(item)}>
        Soft-reject
      </button>
      <button type="button" disabled={busy} onClick={() => onForm('bonus')}>
        Pay bonus
      </button>
      <button type="button" disabled={busy} onClick={() => onForm('block')}>
        Block worker
      </button>
      <button type="button" disabled={busy} onClick={() => onForm('qualify')}>
        Qualify worker
      </button>
    </div>
  )
}

function ItemFormPanel(props: {
  readonly item: ReviewItem
  readonly form: ItemForm
  readonly onForm: (form: ItemForm | null) => void
  readonly actions: ItemActions
}) {
  const { item, form, onForm, actions } = props
  const close = (): void => onForm(null)
  switch (form) {
    case 'reject':
      return (
        <ReasonForm
          legend={`Reject unit ${item.unitId}`}
          submitLabel="Send rejection"
          required
          onCancel={close}
          onSubmit={(reason) => {
            close()
            actions.reject(item, reason)
          }}
        />
      )
    case 'bonus':
      return (
        <BonusForm
          onCancel={close}
          onSubmit={(cents, reason) => {
            close()
            actions.bonus(item, cents, reason)
          }}
        />
      )
    case 'block':
      return (
        <ReasonForm
          legend={`Block worker ${item.workerName}`}
          submitLabel="Confirm block"
          required={false}
          onCancel={close}
          onSubmit={(reason) => {
            close()
            actions.block(item, reason)
          }}
        />
      )
    case 'qualify':
      return (
        <QualifyForm
          onCancel={close}
          onSubmit={(qualification, value) => {
            close()
            actions.qualify(item, qualification, value)
          }}
        />
      )
  }
}
