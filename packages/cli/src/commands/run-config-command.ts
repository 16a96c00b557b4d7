import { Command, Option } from 'commander'
import { changeRun, leaseIsFresh, readRunSettings, type RunChangeResult } from '@faust/backend'
import type { Store, TaskRunRecord } from '@faust/backend/store'
import { systemClock } from '@faust/protocol'
import type { CommandIo } from '../command-io.js'
import { dataDirOption, openExistingDatabase } from '../data-dir.js'
import { parseNonNegativeInteger } from '../parse-number.js'
import {
  changesOf,
  collect,
  describeChange,
  type RunConfigFlags,
} from '../run-config/run-config-changes.js'

interface Flags extends RunConfigFlags {
  readonly dataDir: string
  readonly run?: string
  readonly show?: boolean
  readonly json?: boolean
  readonly waitMs: number
}

/** `faust run-config <task>`: pause, resume, set limits, add items, expire units or end a run, live or stored. */
export function runConfigCommand(io: CommandIo): Command {
  return new Command('run-config')
    .description(
      'Change a run while it runs (or before it resumes): pause or resume launching, set its limits, add items, expire units, end it. A run served by `faust run` applies the change at once; otherwise it is stored and the resumed run starts with it.',
    )
    .argument('<task-name>', "the task's name (defineTask's `name`)")
    .addOption(new Option('--run <id>', "the run to change (default: the task's unfinished run)"))
    .addOption(new Option('--pause', 'stop launching units; new workers are refused (RUN_PAUSED)'))
    .addOption(new Option('--resume', 'launch units again'))
    .addOption(
      new Option(
        '--set <key=value>',
        'maxConcurrentUnits, maximumUnitsPerWorker, allowedConcurrent or assignmentDurationSeconds (repeatable)',
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--add-items <file>',
        'a .json, .jsonl or .csv file of items to add (one assignment each)',
      ),
    )
    .addOption(
      new Option(
        '--expire <unit...>',
        "unit ids to expire, or 'unassigned' for every unit nobody is on",
      ),
    )
    .addOption(
      new Option('--end', 'end the run: unfinished units expired, no new workers (RUN_ENDED)'),
    )
    .addOption(new Option('--show', "print the run's settings (the default with no change)"))
    .addOption(new Option('--json', 'print JSON instead of text'))
    .addOption(
      new Option('--wait-ms <ms>', 'how long to wait for a live run to apply the change')
        .argParser(parseNonNegativeInteger)
        .default(10_000),
    )
    .addOption(dataDirOption())
    .action(async (taskName: string, flags: Flags) => {
      const changes = await withCode(() => changesOf(flags))
      const store = await openExistingDatabase(flags.dataDir)
      try {
        const run = await runOf(store, taskName, flags.run)
        if (changes.length === 0 || flags.show === true) {
          await show(io, { store, run, json: flags.json === true })
          if (changes.length === 0) return
        }
        const results: RunChangeResult[] = []
        for (const change of changes) {
          const result = await withCode(() =>
            changeRun({ store, taskRunId: run.id, change, actor: 'cli', waitMs: flags.waitMs }),
          )
          results.push(result)
          if (flags.json !== true) io.stdout.write(`${describeChange(run.id, change, result)}\n`)
        }
        if (flags.json === true)
          io.stdout.write(`${JSON.stringify({ runId: run.id, results }, null, 2)}\n`)
      } finally {
        await store.close()
      }
    })
}

/** The run named by `--run` (of this task), else the task's unfinished run, else its newest. */
async function runOf(
  store: Store,
  taskName: string,
  runId: string | undefined,
): Promise<TaskRunRecord> {
  const task = await store.tasks.find(taskName)
  const runs = task === null ? [] : await store.taskRuns.list(task.id)
  if (runId !== undefined) {
    const run = runs.find((candidate) => candidate.id === runId)
    if (run === undefined)
      throw new Error(`RUN_NOT_FOUND: task '${taskName}' has no run ${runId} in this data folder`)
    return run
  }
  const unfinished = runs.filter((run) => run.endedAt === null).at(-1)
  const run = unfinished ?? runs.at(-1)
  if (run === undefined)
    throw new Error(`RUN_NOT_FOUND: task '${taskName}' has no run in this data folder`)
  return run
}

/** The run's settings, whether a process serves it, and its units by status. */
async function show(
  io: CommandIo,
  target: { readonly store: Store; readonly run: TaskRunRecord; readonly json: boolean },
): Promise<void> {
  const { store, run, json } = target
  const settings = await withCode(() => readRunSettings(store, run.id))
  const live = await leaseIsFresh(store, run.id, systemClock)
  const units = await store.units.summarize(run.id)
  const state = { runId: run.id, ended: run.endedAt !== null, live, settings, units }
  if (json) {
    io.stdout.write(`${JSON.stringify(state, null, 2)}\n`)
    return
  }
  const status = state.ended
    ? 'ended'
    : live
      ? 'live (served by a running process)'
      : 'not served (resumes with these settings)'
  io.stdout.write(
    [
      `run ${run.id}: ${status}`,
      `  launching: ${settings.launching}`,
      `  maxConcurrentUnits: ${String(settings.maxConcurrentUnits)}`,
      `  maximumUnitsPerWorker: ${String(settings.maximumUnitsPerWorker)}`,
      `  allowedConcurrent: ${String(settings.allowedConcurrent)}`,
      `  assignmentDurationSeconds: ${String(settings.assignmentDurationSeconds)}`,
      `  units: ${Object.entries(units)
        .filter(([, n]) => n > 0)
        .map(([status, n]) => `${status} ${String(n)}`)
        .join(' · ')}`,
      '',
    ].join('\n'),
  )
}

/** A backend error's stable code leads its message (`faust: RUN_ENDED: …`). */
async function withCode<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (error instanceof Error && typeof code === 'string' && /^[A-Z_]+$/.test(code))
      throw new Error(`${code}: ${error.message}`, { cause: error })
    throw error
  }
}
