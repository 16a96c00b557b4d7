import { randomBytes } from 'node:crypto'
import type { Store } from './store.js'

// Unambiguous characters only (no 0/O, 1/I): a worker may have to type it.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const LENGTH = 8

function randomCode(): string {
  const bytes = randomBytes(LENGTH)
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')
}

/**
 * The task's completion code for this platform type: random, made on first
 * use and kept in the store, since the page's wrap script carries it before
 * the listing exists and every run of the task must accept it.
 */
export function completionCodeFor(
  store: Store,
  taskName: string,
  providerType: string,
): Promise<string> {
  return store.providerRecords.completionCode({ taskName, providerType, generate: randomCode })
}
