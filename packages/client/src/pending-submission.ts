import type { StorageLike } from './ports.js'

/** What is kept of an unacknowledged JSON submission, so that a reload can send it again. */
export interface PendingSubmission {
  readonly agentId: string
  /** The `Idempotency-Key` of every try, before and after a reload. */
  readonly key: string
  readonly kind: 'task' | 'onboarding'
  readonly data: unknown
}

const PREFIX = 'faust:pending-submission:'

/**
 * Pending submissions in a storage (`sessionStorage` in a page: it survives a
 * reload of the tab, not its closing, and is not shared with other tabs). A
 * storage that fails (quota, privacy mode) only warns: the submission is still
 * retried in memory.
 */
export class PendingSubmissions {
  readonly #storage: StorageLike
  readonly #warn: (message: string) => void

  constructor(storage: StorageLike, warn: (message: string) => void) {
    this.#storage = storage
    this.#warn = warn
  }

  read(agentId: string): PendingSubmission | null {
    try {
      const text = this.#storage.getItem(PREFIX + agentId)
      const pending = text === null ? null : (JSON.parse(text) as PendingSubmission | null)
      return pending?.agentId === agentId && typeof pending.key === 'string' ? pending : null
    } catch {
      return null
    }
  }

  write(pending: PendingSubmission): void {
    this.#try(() => {
      this.#storage.setItem(PREFIX + pending.agentId, JSON.stringify(pending))
    })
  }

  clear(agentId: string): void {
    this.#try(() => {
      this.#storage.removeItem(PREFIX + agentId)
    })
  }

  #try(operation: () => void): void {
    try {
      operation()
    } catch (error) {
      this.#warn(`The pending submission could not be kept across a reload: ${String(error)}`)
    }
  }
}

/** A storage in memory: what the client uses where `sessionStorage` is missing or refused. */
export function memoryStorage(): StorageLike {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  }
}

/** `sessionStorage` when the page may use it (a sandboxed frame throws on access), else memory. */
export function defaultStorage(): StorageLike {
  try {
    const storage = (globalThis as { sessionStorage?: StorageLike }).sessionStorage
    if (storage !== undefined) return storage
  } catch {
    // Access denied: fall through to memory.
  }
  return memoryStorage()
}
