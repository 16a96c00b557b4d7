import type { Logger } from '@faust/protocol'
import { AttemptStatus } from '../provider-platform.js'

// Prolific's submission statuses, as its API reference lists them
// (https://docs.prolific.com/api-reference/studies/count-study-submissions-by-status:
// ACTIVE, APPROVED, AWAITING REVIEW, REJECTED, RESERVED, RETURNED, TIMED-OUT,
// PARTIALLY APPROVED, SCREENED OUT), plus PROCESSING, which Prolific shows
// for a moment while it changes a status (undocumented; Mephisto's
// "Prolific API oddities" page reports it). Filters spell some with an
// underscore (`AWAITING_REVIEW`), so both spellings are accepted.
const STATUS_MAP: Readonly<Record<string, AttemptStatus>> = {
  RESERVED: AttemptStatus.ACTIVE,
  ACTIVE: AttemptStatus.ACTIVE,
  'AWAITING REVIEW': AttemptStatus.SUBMITTED,
  APPROVED: AttemptStatus.APPROVED,
  // Paid in part: the worker was paid, so Faust counts it as approved.
  'PARTIALLY APPROVED': AttemptStatus.APPROVED,
  REJECTED: AttemptStatus.REJECTED,
  RETURNED: AttemptStatus.RETURNED,
  'TIMED-OUT': AttemptStatus.TIMED_OUT,
  // Screened out by the researcher's own screener: the place is given back.
  'SCREENED OUT': AttemptStatus.RETURNED,
}

/** Statuses whose place Prolific gives to someone else (a rejection re-opens the place too). */
export const FREED_STATUSES: ReadonlySet<string> = new Set([
  'RETURNED',
  'TIMED-OUT',
  'REJECTED',
  'SCREENED OUT',
])

/** The spelling used in tables and comparisons: upper case, spaces, `TIMED-OUT` with its hyphen. */
export function normaliseStatus(status: string): string {
  const upper = status.trim().toUpperCase().replace(/_/g, ' ')
  return upper === 'TIMED OUT' ? 'TIMED-OUT' : upper
}

/**
 * Maps Prolific statuses onto AttemptStatus; an unknown one (PROCESSING, or
 * one added later) is `unknown`, logged once per status, never an error.
 */
export class ProlificStatusMapper {
  readonly #logged = new Set<string>()

  constructor(private readonly logger: Logger) {}

  map(status: string): AttemptStatus {
    const known = STATUS_MAP[normaliseStatus(status)]
    if (known !== undefined) return known
    if (!this.#logged.has(status)) {
      this.#logged.add(status)
      this.logger.warn(
        { providerStatus: status },
        'Prolific: unknown submission status; kept as unknown',
      )
    }
    return AttemptStatus.UNKNOWN
  }
}
