// A generic, readable view of any JSON value: objects as key/value lists,
// long text wrapped in its own block, arrays numbered.
import { formatValue } from '../format.js'

const LONG_TEXT = 80

interface KeyValuesProps {
  readonly value: unknown
  /** One line of `key: value` pairs (timelines) instead of a definition list. */
  readonly inline?: boolean
}

export function KeyValues({ value, inline = false }: KeyValuesProps) {
  if (value === null || typeof value !== 'object') return <Scalar value={value} />
  const entries = Array.isArray(value)
    ? (value as unknown[]).map((v, i) => [String(i + 1), v] as const)
    : Object.entries(value as Record<string, unknown>)
  if (entries.length === 0) return <span className="muted">{inline ? '—' : '(empty)'}</span>
  if (inline) {
    return (
      <span className="kv-inline">
        {entries.map(([k, v]) => (
          <span key={k}>
            <span className="kv-key">{k}</span>: {formatValue(v)}
          </span>
        ))}
      </span>
    )
  }
  return (
    <dl className="kv">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <KeyValues value={v} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

function Scalar({ value }: { readonly value: unknown }) {
  const text = formatValue(value)
  if (typeof value === 'string' && (text.length > LONG_TEXT || text.includes('\n'))) {
    return <p className="long-text">{text}</p>
  }
  return <span>{text}</span>
}
