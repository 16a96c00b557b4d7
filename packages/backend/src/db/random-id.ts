import { randomBytes } from 'node:crypto'

/** Produces a fresh, unique id for a new row; injectable for deterministic tests. */
export type IdGenerator = () => string

/** Bytes of randomness in a {@link randomId}: 128 bits, so agent ids cannot be guessed. */
export const RANDOM_ID_BYTES = 16

/**
 * A 128-bit crypto-random id as 32 lowercase hex characters. Hex rather than
 * base64url because ids name folders (`<run>/<assignment>/<agent>/`), and
 * case-insensitive file systems would fold base64url ids together.
 */
export function randomId(): string {
  return randomBytes(RANDOM_ID_BYTES).toString('hex')
}
