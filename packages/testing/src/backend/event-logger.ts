import type { BackendLogger } from '@faust/backend'
import { within } from '../deferred.js'
import { WAIT_MS } from './wait-limit.js'

/** One line an {@link EventLogger} kept. */
export interface LogLine {
  readonly level: string
  readonly message: string
  readonly details: object
}

/** A backend logger that keeps every line and lets a test await the next matching one. */
export class EventLogger implements BackendLogger {
  readonly lines: LogLine[] = []
  readonly #waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = []

  debug(details: object, message: string): void {
    this.#add({ level: 'debug', message, details })
  }
  info(details: object, message: string): void {
    this.#add({ level: 'info', message, details })
  }
  warn(details: object, message: string): void {
    this.#add({ level: 'warn', message, details })
  }
  error(details: object, message: string): void {
    this.#add({ level: 'error', message, details })
  }

  /** The next line (logged after this call) whose message contains `text`. */
  next(text: string): Promise<LogLine> {
    return within(
      new Promise<LogLine>((resolve) => {
        this.#waiters.push({ match: (line) => line.message.includes(text), resolve })
      }),
      WAIT_MS,
      `a log line '${text}'`,
    )
  }

  /** Errors logged so far. */
  errors(): LogLine[] {
    return this.lines.filter((line) => line.level === 'error')
  }

  #add(line: LogLine): void {
    this.lines.push(line)
    for (const [index, waiter] of this.#waiters.entries()) {
      if (waiter.match(line)) {
        this.#waiters.splice(index, 1)
        waiter.resolve(line)
        return
      }
    }
  }
}
