// The review queue of one run: filters, the submissions, keyboard shortcuts,
// bulk actions on the filter, and the outcome of every action.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { review, workerAction, type Outcome } from '../api/actions.js'
import { describeError } from '../api/client.js'
import type { AgentRow, ReviewItem, ReviewStatusFilter, RunRow } from '../api/types.js'
import { useReviewComponent, type ReviewComponentState } from '../api/review-component.js'
import { runMoved, useResource } from '../api/use-resource.js'
import { OutcomeLog, useOutcomes } from '../components/outcome-log.js'
import { RunPage } from '../components/run-header.js'
import { useShortcuts } from '../components/use-shortcuts.js'
import { BulkActions } from './review-bulk.js'
import { ReviewCard, type ItemActions, type ItemForm } from './review-item.js'

const STATUSES: readonly { value: ReviewStatusFilter; label: string }[] = [
  { value: 'pending', label: 'Pending review' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'soft_rejected', label: 'Soft-rejected' },
  { value: 'all', label: 'All' },
]

export function ReviewView({ runId }: { readonly runId: string }) {
  return (
    <RunPage runId={runId} tab="review" title="review queue">
      {(run) => <ReviewQueue run={run} />}
    </RunPage>
  )
}

function ReviewQueue({ run }: { readonly run: RunRow }) {
  const [status, setStatus] = useState<ReviewStatusFilter>('pending')
  const [worker, setWorker] = useState('')
  const query = new URLSearchParams({ status })
  if (worker.trim() !== '') query.set('worker', worker.trim())
  const path = `/api/runs/${encodeURIComponent(run.runId)}/review?${query.toString()}`
  const queue = useResource<readonly ReviewItem[]>(path, runMoved(run.runId))
  const [outcomes, addOutcomes] = useOutcomes()
  const items = useMemo(() => queue.data ?? [], [queue.data])
  const view = useReviewComponent(run.taskName)
  return (
    <>
      <Filters
        runId={run.runId}
        status={status}
        worker={worker}
        onStatus={setStatus}
        onWorker={setWorker}
      />
      <p className="help-line" id="review-keys">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>a</kbd> approve · <kbd>r</kbd> reject ·{' '}
        <kbd>s</kbd> soft-reject · <kbd>b</kbd> bonus · <kbd>Esc</kbd> closes a form
      </p>
      <div className="review-layout">
        <section aria-labelledby="queue-title">
          <h2 id="queue-title">
            Submissions ({queue.data === undefined ? '…' : items.length} shown)
          </h2>
          {queue.error !== null && <p role="alert">{describeError(queue.error)}</p>}
          {queue.data === undefined ? (
            <p role="status">Loading submissions…</p>
          ) : items.length === 0 ? (
            <p>No submission matches this filter.</p>
          ) : (
            <QueueList run={run} items={items} onOutcomes={addOutcomes} view={view} />
          )}
        </section>
        <aside aria-label="Bulk actions and results" className="review-side">
          <BulkActions
            runId={run.runId}
            filter={worker.trim() === '' ? { status } : { status, worker: worker.trim() }}
            count={items.length}
            onOutcomes={addOutcomes}
          />
          <OutcomeLog outcomes={outcomes} />
        </aside>
      </div>
    </>
  )
}

function Filters(props: {
  readonly runId: string
  readonly status: ReviewStatusFilter
  readonly worker: string
  readonly onStatus: (status: ReviewStatusFilter) => void
  readonly onWorker: (worker: string) => void
}) {
  const id = useId()
  // The run's worker names, offered as the filter's suggestions (the filter is exact).
  const agents = useResource<readonly AgentRow[]>(
    `/api/runs/${encodeURIComponent(props.runId)}/agents`,
    runMoved(props.runId),
  )
  const names = [...new Set((agents.data ?? []).map((a) => a.workerName))].sort()
  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter submissions"
      onSubmit={(e) => e.preventDefault()}
    >
      <label htmlFor={`${id}-status`}>Status</label>
      <select
        id={`${id}-status`}
        value={props.status}
        onChange={(e) => props.onStatus(e.target.value as ReviewStatusFilter)}
      >
        {STATUSES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-worker`}>Worker</label>
      <input
        id={`${id}-worker`}
        type="search"
        list={`${id}-workers`}
        placeholder="any worker (exact name)"
        value={props.worker}
        onChange={(e) => props.onWorker(e.target.value)}
      />
      <datalist id={`${id}-workers`}>
        {names.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </form>
  )
}

/** The cards, which one is selected (j/k), which form is open, and the actions. */
function QueueList(props: {
  readonly run: RunRow
  readonly items: readonly ReviewItem[]
  readonly onOutcomes: (lines: readonly Outcome[]) => void
  readonly view: ReviewComponentState
}) {
  const { run, items, onOutcomes, view } = props
  const [selectedId, setSelectedId] = useState<string | null>(items[0]?.unitId ?? null)
  const [open, setOpen] = useState<{ unitId: string; form: ItemForm } | null>(null)
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set())
  const cards = useRef(new Map<string, HTMLElement>())
  // The selected unit left the list (reviewed under a "pending" filter): the
  // one now at its place is selected, so the operator goes on where they were.
  const lastIndex = useRef(0)
  const found = items.findIndex((i) => i.unitId === selectedId)
  const index = found >= 0 ? found : Math.min(lastIndex.current, items.length - 1)
  lastIndex.current = Math.max(0, index)
  const selected = items[index]
  useEffect(() => {
    if (selected !== undefined && selected.unitId !== selectedId) setSelectedId(selected.unitId)
  }, [selected, selectedId])

  const act = useActions(run, onOutcomes, setBusy)
  const move = useCallback(
    (step: number) => {
      const next = items[Math.min(items.length - 1, Math.max(0, index + step))]
      if (next === undefined) return
      setSelectedId(next.unitId)
      const card = cards.current.get(next.unitId)
      card?.focus()
      card?.scrollIntoView({ block: 'nearest' })
    },
    [items, index],
  )
  const openForm = (form: ItemForm): void => {
    if (selected !== undefined) setOpen({ unitId: selected.unitId, form })
  }
  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    a: () => selected !== undefined && act.approve(selected),
    r: () => openForm('reject'),
    s: () => selected !== undefined && act.softReject(selected),
    b: () => openForm('bonus'),
  })
  return (
    <ol className="review-list" aria-describedby="review-keys">
      {items.map((item) => (
        <li key={item.unitId}>
          <ReviewCard
            item={item}
            selected={item.unitId === selected?.unitId}
            busy={busy.has(item.unitId)}
            form={open?.unitId === item.unitId ? open.form : null}
            onSelect={() => setSelectedId(item.unitId)}
            onForm={(form) => setOpen(form === null ? null : { unitId: item.unitId, form })}
            actions={act}
            view={view}
            cardRef={(el) => {
              if (el === null) cards.current.delete(item.unitId)
              else cards.current.set(item.unitId, el)
            }}
          />
        </li>
      ))}
    </ol>
  )
}

/** The six actions, each marking its unit busy until the answer comes. */
function useActions(
  run: RunRow,
  onOutcomes: (lines: readonly Outcome[]) => void,
  setBusy: (update: (old: ReadonlySet<string>) => ReadonlySet<string>) => void,
): ItemActions {
  return useMemo(() => {
    const track = (unitId: string, work: Promise<Outcome[]>): void => {
      setBusy((old) => new Set(old).add(unitId))
      void work.then((lines) => {
        onOutcomes(lines)
        setBusy((old) => {
          const next = new Set(old)
          next.delete(unitId)
          return next
        })
      })
    }
    return {
      approve: (item) =>
        track(item.unitId, review(run, 'Approve', { kind: 'approve', target: item.unitId })),
      reject: (item, reason) =>
        track(item.unitId, review(run, 'Reject', { kind: 'reject', target: item.unitId, reason })),
      softReject: (item) =>
        track(
          item.unitId,
          review(run, 'Soft-reject', { kind: 'soft_reject', target: item.unitId }),
        ),
      bonus: (item, amountCents, reason) =>
        track(
          item.unitId,
          review(run, 'Pay bonus', { kind: 'bonus', target: item.unitId, amountCents, reason }),
        ),
      block: (item, reason) =>
        track(
          item.unitId,
          workerAction(run.runId, `Block worker ${item.workerName}`, {
            workerId: item.workerId,
            verb: 'block',
            body: reason === '' ? {} : { reason },
          }),
        ),
      qualify: (item, qualification, value) =>
        track(
          item.unitId,
          workerAction(run.runId, `Qualify worker ${item.workerName} (${qualification}=${value})`, {
            workerId: item.workerId,
            verb: 'qualify',
            body: { qualification, value },
          }),
        ),
    }
  }, [run, onOutcomes, setBusy])
}
