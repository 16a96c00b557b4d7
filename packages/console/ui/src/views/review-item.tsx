// One submission in the review queue: the generic view of its data and files,
// its review state, the six action buttons and the form one of them opened.
import type { Ref } from 'react'
import type { ReviewItem } from '../api/types.js'
import { StatusBadge } from '../components/badges.js'
import { KeyValues } from '../components/key-values.js'
import { formatBytes, formatCents, formatTime } from '../format.js'
import { BonusForm, QualifyForm, ReasonForm } from './review-forms.js'

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
}

export function ReviewCard(props: ReviewCardProps) {
  const { item, selected, busy, form, onSelect, onForm, actions, cardRef } = props
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
        {item.bonusCents !== null && item.bonusCents > 0 && (
          <> · bonus paid: {formatCents(item.bonusCents)}</>
        )}
      </p>
      <div className="review-data">
        <KeyValues value={item.data} />
      </div>
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
