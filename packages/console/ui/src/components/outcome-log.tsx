// What each action did: done, already done, or failed with its code. A polite
// live region, newest first, so a screen reader hears each result.
import { useCallback, useState } from 'react'
import type { Outcome } from '../api/actions.js'

const RESULT_TEXT: Readonly<Record<Outcome['result'], string>> = {
  done: 'done',
  already_done: 'already done',
  failed: 'failed',
}

/** The log's lines and a function that adds new ones on top (keeps the last 50). */
export function useOutcomes(): [readonly Outcome[], (lines: readonly Outcome[]) => void] {
  const [outcomes, setOutcomes] = useState<readonly Outcome[]>([])
  const add = useCallback((lines: readonly Outcome[]) => {
    setOutcomes((old) => [...lines, ...old].slice(0, 50))
  }, [])
  return [outcomes, add]
}

export function OutcomeLog({ outcomes }: { readonly outcomes: readonly Outcome[] }) {
  return (
    <section aria-labelledby="outcomes-title" className="outcomes">
      <h2 id="outcomes-title">Results of your actions</h2>
      <div role="log" aria-live="polite" aria-relevant="additions">
        <ul>
          {outcomes.length === 0 && <li className="muted">Nothing done yet.</li>}
          {outcomes.map((o) => (
            <li key={o.id} className={`outcome outcome-${o.result}`} data-result={o.result}>
              {o.label}: <strong>{RESULT_TEXT[o.result]}</strong>
              {o.code !== undefined && (
                <>
                  {' '}
                  (<code>{o.code}</code>)
                </>
              )}
            </li>
          ))}
        </ul>
      </div>
    </section>
  )
}
