import { pino, type Logger } from 'pino'
import type { OutputStream } from './command-io.js'

/** Log levels a command accepts, quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * Fields never written to a log, at any depth pino's paths reach: the
 * platforms' credentials (PROLIFIC_API_TOKEN, AWS keys) and the headers that
 * carry them. The platforms keep them out of what they log; this is the net
 * under that, should an options object or a request ever be logged whole.
 */
export const REDACTED_LOG_PATHS = [
  'token',
  'apiToken',
  'authorization',
  'PROLIFIC_API_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'secretAccessKey',
  'credentials',
  '*.token',
  '*.apiToken',
  '*.authorization',
  '*.Authorization',
  '*.PROLIFIC_API_TOKEN',
  '*.AWS_SECRET_ACCESS_KEY',
  '*.secretAccessKey',
  '*.credentials',
  'headers.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
]

/**
 * A pino logger writing JSON lines to `stream` (stderr: stdout stays the
 * command's own output). Through the stream's `write`, not pino's own file
 * descriptor writer, so a terminal's progress line is cleared before a log
 * line and redrawn after it.
 */
export function createLogger(level: string, stream: OutputStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
    { write: (line: string) => stream.write(line) },
  )
}
