import type { Clock, Logger } from '@faust/protocol'
import type { PublishRequest } from '../../provider-platform.js'

// Shared by the Prolific tests (not exported from the package).

/** A clock whose timers fire on the next turn, recording each wait asked for. */
export function instantClock(): { clock: Clock; delays: number[] } {
  const delays: number[] = []
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, delayMs) => {
      delays.push(delayMs)
      return setImmediate(callback)
    },
    clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
    setInterval: (callback) => setImmediate(callback),
    clearInterval: (handle) => clearImmediate(handle as NodeJS.Immediate),
  }
  return { clock, delays }
}

/** A logger that keeps what it was told. */
export function recordingLogger(): Logger & {
  lines: { level: string; details: object; message: string }[]
} {
  const lines: { level: string; details: object; message: string }[] = []
  const at =
    (level: string) =>
    (details: object, message: string): void => {
      lines.push({ level, details, message })
    }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

export function publishRequest(overrides: Partial<PublishRequest> = {}): PublishRequest {
  return {
    runId: 'run-1',
    taskName: 'static-form',
    title: 'Describe a picture',
    description: 'Look at a picture and describe it in a few words.',
    keywords: ['picture'],
    rewardCents: 150,
    places: 2,
    estimatedMinutes: 5,
    maxMinutes: 20,
    pageUrl: 'https://faust.example.org/task/',
    completionCode: 'C0DE1234',
    blockedWorkerIds: [],
    ...overrides,
  }
}
