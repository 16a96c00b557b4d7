import { pino, type Logger } from 'pino'
import type { OutputStream } from './command-io.js'

/** Log levels a command accepts, quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * A pino logger writing JSON lines to `stream` (stderr: stdout stays the
 * command's own output). Through the stream's `write`, not pino's own file
 * descriptor writer, so a terminal's progress line is cleared before a log
 * line and redrawn after it.
 */
export function createLogger(level: string, stream: OutputStream): Logger {
  return pino({ level }, { write: (line: string) => stream.write(line) })
}
