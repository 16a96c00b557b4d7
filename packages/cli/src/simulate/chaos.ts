// `--chaos`: the faults a simulation injects. Page faults (reload, slow,
// duplicate, sockets) are chances each bot draws; process faults (router,
// backend, disk, and socket drops for everyone) come from one scheduler at
// random moments. Every choice comes from the simulation's seeded generator.
import type { SocketTracker } from './bot-page.js'
import { between, type Random } from './seeded-random.js'
import type { PageFaults } from './sim-bot.js'
import type { SimProcesses } from './sim-processes.js'

/** Every fault `--chaos` names. */
export const CHAOS_KINDS = [
  'router',
  'backend',
  'sockets',
  'reload',
  'slow',
  'duplicate',
  'disk',
] as const
export type ChaosKind = (typeof CHAOS_KINDS)[number]

/** `all`, `none`, or a comma-separated list of {@link CHAOS_KINDS}. */
export function parseChaos(value: string): ChaosKind[] {
  if (value === 'all') return [...CHAOS_KINDS]
  if (value === 'none' || value === '') return []
  const kinds = value.split(',').map((kind) => kind.trim())
  for (const kind of kinds) {
    if (!(CHAOS_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`--chaos: unknown fault '${kind}' (all, none, or ${CHAOS_KINDS.join(', ')})`)
    }
  }
  return [...new Set(kinds)] as ChaosKind[]
}

/** The page faults' chances for the chosen kinds. */
export function pageFaults(kinds: readonly ChaosKind[]): PageFaults {
  const on = (kind: ChaosKind, chance: number): number => (kinds.includes(kind) ? chance : 0)
  return {
    reload: on('reload', 0.15),
    dropSockets: on('sockets', 0.2),
    slow: on('slow', 0.3),
    duplicate: on('duplicate', 0.2),
    // Workers who take a while: the process faults land while units are held.
    thinkMs: kinds.length === 0 ? [0, 0] : [2000, 8000],
  }
}

/**
 * Process faults: the first 0.2 to 0.8 s after the backend's run has
 * started, then one every 0.5 to 2 s, in rounds that each take every chosen
 * kind once in a seeded order, so that a short run still meets each kind.
 */
const PROCESS_FAULTS: readonly ChaosKind[] = ['router', 'backend', 'disk', 'sockets']

/** What {@link startChaos} needs. */
export interface ChaosOptions {
  readonly kinds: readonly ChaosKind[]
  readonly processes: SimProcesses
  readonly sockets: SocketTracker
  readonly random: Random
  /** Told of each injected fault, for the summary and the log. */
  readonly onFault: (kind: ChaosKind, detail: string) => void
}

/** The running scheduler. */
export interface Chaos {
  /** Ends the scheduler; resolves once a fault under way (a restart) is over. */
  stop(): Promise<void>
}

/** Starts injecting the process faults among `kinds`; a no-op when there are none. */
export function startChaos(options: ChaosOptions): Chaos {
  const faults = PROCESS_FAULTS.filter((kind) => options.kinds.includes(kind))
  let stopped = false
  let wake: () => void = () => undefined
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  const loop = async (): Promise<void> => {
    let round: ChaosKind[] = []
    // The clock starts with the run: faults before it would find nothing to break.
    while (!stopped && faults.length > 0 && !options.processes.runStarted) await sleep(100)
    let wait = between(options.random, 200, 800)
    while (faults.length > 0) {
      await sleep(wait)
      if (stopped) return
      if (round.length === 0) round = shuffled(faults, options.random)
      // A fault that cannot land yet (the backend's run has not started) is
      // tried again shortly rather than skipped: every kind must happen.
      if (await inject(round.at(-1) as ChaosKind, options, sleep)) {
        round.pop()
        wait = between(options.random, 500, 2000)
      } else {
        wait = 250
      }
    }
  }
  const running = loop()
  return {
    async stop() {
      stopped = true
      wake()
      await running
    },
  }
}

/** A seeded Fisher-Yates shuffle. */
function shuffled<TItem>(items: readonly TItem[], random: Random): TItem[] {
  const copy = [...items]
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1))
    ;[copy[index], copy[other]] = [copy[other] as TItem, copy[index] as TItem]
  }
  return copy
}

async function inject(
  kind: ChaosKind,
  options: ChaosOptions,
  sleep: (ms: number) => Promise<void>,
): Promise<boolean> {
  const { processes, random } = options
  const downMs = (): number => between(random, 100, 1500)
  if (kind === 'router') {
    await processes.killRouter()
    const down = downMs()
    await sleep(down)
    await processes.startRouter()
    options.onFault(kind, `router SIGKILLed, restarted after ${String(down)} ms`)
  } else if (kind === 'backend') {
    if (!(await processes.killBackendUnlessDone())) return false
    const down = downMs()
    await sleep(down)
    processes.startBackend()
    options.onFault(kind, `backend SIGKILLed, restarted after ${String(down)} ms`)
  } else if (kind === 'disk') {
    if (!processes.diskFull()) return false
    options.onFault(kind, 'backend disk full for 3 s')
  } else {
    options.onFault(kind, `${String(options.sockets.dropAll())} sockets dropped`)
  }
  return true
}
