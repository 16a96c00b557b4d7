/**
 * Faust's negotiated protocol extensions (docs/protocol.md §14). A backend
 * announces the ones it speaks in its `alive` packet's
 * `data.faust_extensions`, as `{ <name>: <version> }`; the router uses an
 * extension only with a backend that announced it, so Mephisto's own backend,
 * which announces nothing, keeps the reference behaviour.
 */
export const FaustExtension = {
  /**
   * Submissions are acknowledged only once stored: the router holds each
   * submission's reply until the backend's `faust_stored`, and the backend
   * re-announces its live agents (then `faust_announced`) on every `alive`.
   */
  STORED_ACKS: 'stored_acks',
} as const

/** One of the {@link FaustExtension} names. */
export type FaustExtension = (typeof FaustExtension)[keyof typeof FaustExtension]

/** The version of each extension this code speaks. */
export const FAUST_EXTENSION_VERSIONS: Readonly<Record<FaustExtension, number>> = {
  [FaustExtension.STORED_ACKS]: 1,
}

/** The `alive` data by which Faust's backend announces every extension it speaks. */
export function faustAliveData(): { faust_extensions: Record<FaustExtension, number> } {
  return { faust_extensions: { ...FAUST_EXTENSION_VERSIONS } }
}

/**
 * The extensions an `alive` packet's `data` announces, among those this code
 * speaks at a version it knows (a later version is not assumed compatible).
 */
export function announcedExtensions(aliveData: unknown): ReadonlySet<FaustExtension> {
  const announced = new Set<FaustExtension>()
  if (typeof aliveData !== 'object' || aliveData === null) return announced
  const extensions = (aliveData as Record<string, unknown>)['faust_extensions']
  if (typeof extensions !== 'object' || extensions === null) return announced
  for (const name of Object.values(FaustExtension)) {
    if ((extensions as Record<string, unknown>)[name] === FAUST_EXTENSION_VERSIONS[name]) {
      announced.add(name)
    }
  }
  return announced
}

/** Longest idempotency key (`Idempotency-Key` header, `faust_ack.submission_id`) accepted. */
export const MAX_SUBMISSION_ID_LENGTH = 128

/** The characters an idempotency key may hold (a UUID, a ULID, …). */
export const SUBMISSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
