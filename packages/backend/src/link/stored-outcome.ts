import type { ErrorCode } from '@faust/protocol'

/** The codes a submission can be refused with in `faust_stored` (docs/protocol.md §14). */
export type NotStoredCode =
  | typeof ErrorCode.ALREADY_SUBMITTED
  | typeof ErrorCode.AGENT_UNKNOWN
  | typeof ErrorCode.STORE_FAILED

/**
 * What became of a submission, as `faust_stored` reports it: stored (or found
 * already stored), or refused with a code the router turns into its HTTP status.
 */
export type StoredOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: NotStoredCode; readonly message: string }

/** The submission is committed (or an identical one already was). */
export const STORED: StoredOutcome = { ok: true }

/** The submission was not stored, and why. */
export function notStored(code: NotStoredCode, message: string): StoredOutcome {
  return { ok: false, code, message }
}
