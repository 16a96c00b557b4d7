import {
  loadTaskData,
  RUN_SETTING_NAMES,
  type RunChange,
  type RunChangeResult,
  type RunSettingName,
} from '@faust/backend'

/** The flags of `faust run-config` that ask for a change. */
export interface RunConfigFlags {
  readonly pause?: boolean
  readonly resume?: boolean
  readonly set?: readonly string[]
  readonly addItems?: string
  readonly expire?: readonly string[]
  readonly end?: boolean
}

/** `--set key=value`: one of the run settings and a whole number. */
export function parseSetting(text: string): { setting: RunSettingName; value: number } {
  const match = /^([A-Za-z]+)=(\d+)$/.exec(text.trim())
  const names: readonly string[] = RUN_SETTING_NAMES
  if (match === null || !names.includes(match[1] ?? ''))
    throw new Error(
      `--set: expected key=value with a whole number, the key one of ${RUN_SETTING_NAMES.join(', ')}; got '${text}'`,
    )
  return { setting: match[1] as RunSettingName, value: Number(match[2]) }
}

/** Collects a repeated option's values. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value]
}

/** The changes the flags ask for, in order; one kind of change per call. Empty: `--show`. */
export async function changesOf(flags: RunConfigFlags): Promise<RunChange[]> {
  const asked = [
    flags.pause === true,
    flags.resume === true,
    (flags.set?.length ?? 0) > 0,
    flags.addItems !== undefined,
    (flags.expire?.length ?? 0) > 0,
    flags.end === true,
  ].filter(Boolean).length
  if (asked > 1)
    throw new Error(
      'run-config: give one of --pause, --resume, --set, --add-items, --expire, --end (--set may repeat)',
    )
  if (flags.pause === true) return [{ kind: 'pause' }]
  if (flags.resume === true) return [{ kind: 'resume' }]
  if (flags.end === true) return [{ kind: 'end' }]
  if (flags.set !== undefined && flags.set.length > 0)
    return flags.set.map((text) => ({ kind: 'set', ...parseSetting(text) }))
  if (flags.addItems !== undefined)
    return [{ kind: 'add_items', items: await loadTaskData(flags.addItems) }]
  if (flags.expire !== undefined && flags.expire.length > 0) {
    const units = flags.expire
    return [
      {
        kind: 'expire_units',
        units: units.length === 1 && units[0] === 'unassigned' ? 'unassigned' : units,
      },
    ]
  }
  return []
}

/** One line saying what a change did, and whether the live run or the store took it. */
export function describeChange(runId: string, change: RunChange, result: RunChangeResult): string {
  const where =
    result.applied === 'live'
      ? 'live: the running process applied it'
      : 'stored: no process serves the run; it resumes with this'
  const detail = result.detail ?? {}
  switch (change.kind) {
    case 'pause':
      return `run ${runId}: launching paused (${where})`
    case 'resume':
      return `run ${runId}: launching resumed (${where})`
    case 'set':
      return `run ${runId}: ${change.setting} ${String(detail['from'])} → ${String(change.value)} (${where})`
    case 'add_items':
      return `run ${runId}: added ${String(detail['items'])} items, ${String(detail['units'])} units (${where})`
    case 'expire_units':
      return `run ${runId}: expired ${String(detail['expired'])} units, ${String(detail['agentsExpired'])} of them held by a worker (${where})`
    case 'end':
      return `run ${runId}: ended (${where})`
  }
}
