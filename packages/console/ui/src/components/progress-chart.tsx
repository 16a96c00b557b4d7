// Units by status over time, stacked (Recharts). The figure's caption and the
// numbers beside it say the same in words for screen readers.
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import type { ProgressPoint } from '../api/types.js'
import { formatClock, formatTime } from '../format.js'

/** Each status's colour: distinct hues, all at least 3:1 against white. */
const SERIES: readonly { key: keyof Omit<ProgressPoint, 'at'>; name: string; color: string }[] = [
  { key: 'completed', name: 'Completed', color: '#1b7f3b' },
  { key: 'inProgress', name: 'In progress', color: '#1f5fbf' },
  { key: 'launched', name: 'Launched', color: '#8a4fbf' },
  { key: 'waiting', name: 'Waiting', color: '#a15c00' },
  { key: 'expired', name: 'Expired', color: '#6b6b6b' },
]

const STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400,
]

/** At most ~6 ticks on whole seconds, minutes or hours, so no two read the same. */
function timeTicks(first: number, last: number): number[] {
  const span = last - first
  const step = (STEPS_S.find((s) => span / (s * 1000) <= 6) ?? 86_400) * 1000
  const ticks: number[] = []
  for (let at = Math.ceil(first / step) * step; at <= last; at += step) ticks.push(at)
  return ticks.length > 0 ? ticks : [first]
}

export function ProgressChart({
  series,
  label,
}: {
  readonly series: readonly ProgressPoint[]
  readonly label: string
}) {
  if (series.length === 0) return <p className="muted">No progress recorded yet.</p>
  const last = series[series.length - 1]
  const ticks = timeTicks(series[0]?.at ?? 0, last?.at ?? 0)
  return (
    <figure className="chart">
      <figcaption>
        {label}
        {last !== undefined && (
          <span className="visually-hidden">
            {' '}
            at {formatTime(last.at)}: {SERIES.map((s) => `${s.name} ${last[s.key]}`).join(', ')}
          </span>
        )}
      </figcaption>
      <div aria-hidden="true" className="chart-box">
        <ResponsiveContainer width="100%" height={180}>
          <AreaChart
            accessibilityLayer={false}
            data={[...series]}
            margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" stroke="#d0d4da" />
            <XAxis
              dataKey="at"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              ticks={ticks}
              tickFormatter={(at: number) => formatClock(at)}
              stroke="#4a4f57"
            />
            <YAxis allowDecimals={false} width={40} stroke="#4a4f57" />
            <Tooltip labelFormatter={(at) => formatTime(Number(at))} />
            <Legend />
            {SERIES.map((s) => (
              <Area
                key={s.key}
                type="stepAfter"
                dataKey={s.key}
                name={s.name}
                stackId="units"
                stroke={s.color}
                fill={s.color}
                fillOpacity={0.35}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}
