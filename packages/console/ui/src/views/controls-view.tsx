// Changing a live run: launching, its limits, more data items, expiring
// unassigned units, ending it. Each change is one POST, audited by the server.
import { useId, useState, type FormEvent } from 'react'
import { changeRun, type Outcome } from '../api/actions.js'
import type { RunChange, RunRow, RunSetting } from '../api/types.js'
import { OutcomeLog, useOutcomes } from '../components/outcome-log.js'
import { RunPage } from '../components/run-header.js'
import { AddItemsForm } from './add-items-form.js'

const SETTINGS: readonly { setting: RunSetting; label: string; hint: string }[] = [
  { setting: 'maxConcurrentUnits', label: 'Max concurrent units', hint: 'units worked on at once' },
  { setting: 'maximumUnitsPerWorker', label: 'Max units per worker', hint: 'over the whole run' },
  {
    setting: 'allowedConcurrent',
    label: 'Allowed concurrent',
    hint: 'units one worker holds at once',
  },
  { setting: 'assignmentDurationSeconds', label: 'Assignment duration', hint: 'seconds' },
]

export function ControlsView({ runId }: { readonly runId: string }) {
  return (
    <RunPage runId={runId} tab="controls" title="run controls">
      {(run) => <Controls run={run} />}
    </RunPage>
  )
}

function Controls({ run }: { readonly run: RunRow }) {
  const [outcomes, addOutcomes] = useOutcomes()
  const [busy, setBusy] = useState(false)
  const send = (label: string, change: RunChange): void => {
    setBusy(true)
    void changeRun(run.runId, label, change).then((lines: Outcome[]) => {
      addOutcomes(lines)
      setBusy(false)
    })
  }
  const ended = run.endedAt !== null
  return (
    <>
      {ended && <p className="note">This run has ended; changes are refused.</p>}
      {!run.live && !ended && (
        <p className="note">
          No process runs this task now: changes are stored and a resumed run starts with them.
        </p>
      )}
      <section aria-labelledby="launch-title" className="card">
        <h2 id="launch-title">Launching</h2>
        <p>
          Launching is <strong>{run.launching === 'open' ? 'open' : 'paused'}</strong>
          {run.launching === 'paused' && ': new workers are turned away'}.
        </p>
        {run.launching === 'open' ? (
          <button
            type="button"
            disabled={busy || ended}
            onClick={() => send('Pause launching', { kind: 'pause' })}
          >
            Pause launching
          </button>
        ) : (
          <button
            type="button"
            disabled={busy || ended}
            onClick={() => send('Resume launching', { kind: 'resume' })}
          >
            Resume launching
          </button>
        )}
      </section>
      <section aria-labelledby="limits-title" className="card">
        <h2 id="limits-title">Limits</h2>
        <div className="settings">
          {SETTINGS.map((s) => (
            <SettingForm
              key={s.setting}
              {...s}
              current={run.settings[s.setting]}
              disabled={busy || ended}
              onSet={(value) =>
                send(`Set ${s.setting} to ${value}`, { kind: 'set', setting: s.setting, value })
              }
            />
          ))}
        </div>
      </section>
      <AddItemsForm
        disabled={busy || ended}
        onAdd={(items) => send(`Add ${items.length} items`, { kind: 'add_items', items })}
      />
      <DangerZone
        disabled={busy || ended}
        onExpire={() =>
          send('Expire unassigned units', { kind: 'expire_units', units: 'unassigned' })
        }
        onEnd={() => send('End run', { kind: 'end' })}
      />
      <OutcomeLog outcomes={outcomes} />
    </>
  )
}

function SettingForm(props: {
  readonly setting: RunSetting
  readonly label: string
  readonly hint: string
  readonly current: unknown
  readonly disabled: boolean
  readonly onSet: (value: number) => void
}) {
  const id = useId()
  const shown = typeof props.current === 'number' ? String(props.current) : ''
  const [value, setValue] = useState(shown)
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    props.onSet(Number(value))
  }
  return (
    <form className="setting" onSubmit={submit}>
      <label htmlFor={`${id}-v`}>
        {props.label} <code>{props.setting}</code>
      </label>
      <p className="muted" id={`${id}-h`}>
        Now: {describeSetting(props.setting, props.current)} ({props.hint})
      </p>
      <input
        id={`${id}-v`}
        type="number"
        min="0"
        step="1"
        required
        aria-describedby={`${id}-h`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit" disabled={props.disabled}>
        Set {props.label.toLowerCase()}
      </button>
    </form>
  )
}

/** 0 means "no limit" for the three counts (as in defineTask). */
function describeSetting(setting: RunSetting, value: unknown): string {
  if (typeof value !== 'number') return 'not set'
  if (value === 0 && setting !== 'assignmentDurationSeconds') return '0 (no limit)'
  return String(value)
}

function DangerZone(props: {
  readonly disabled: boolean
  readonly onExpire: () => void
  readonly onEnd: () => void
}) {
  const [confirm, setConfirm] = useState<'expire' | 'end' | null>(null)
  return (
    <section aria-labelledby="danger-title" className="card danger">
      <h2 id="danger-title">Expire and end</h2>
      <div className="actions">
        <button type="button" disabled={props.disabled} onClick={() => setConfirm('expire')}>
          Expire unassigned units
        </button>
        <button
          type="button"
          className="danger-button"
          disabled={props.disabled}
          onClick={() => setConfirm('end')}
        >
          End run
        </button>
      </div>
      {confirm !== null && (
        <div
          role="alertdialog"
          aria-label="Confirm"
          aria-describedby="danger-q"
          className="confirm"
        >
          <p id="danger-q">
            {confirm === 'end'
              ? 'End this run? No new unit is launched and workers still working are told the run ended.'
              : 'Expire every unit that no worker holds? They will not be launched again.'}
          </p>
          <div className="form-buttons">
            <button
              type="button"
              className="primary"
              autoFocus
              onClick={() => {
                setConfirm(null)
                if (confirm === 'end') props.onEnd()
                else props.onExpire()
              }}
            >
              {confirm === 'end' ? 'Yes, end the run' : 'Yes, expire them'}
            </button>
            <button type="button" onClick={() => setConfirm(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
