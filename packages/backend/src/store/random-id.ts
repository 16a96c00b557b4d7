import { randomBytes } from 'node:crypto'

/** Produces a fresh, unique id for a new row; injectable for deterministic tests. */
export type IdGenerator = () => string

/** Bytes of randomness in a {@link randomId}: 128 bits, so agent ids cannot be guessed. */
export const RANDOM_ID_BYTES = 16

// One call into the system's random source per 256 ids rather than per id:
// a registration makes several ids, and the call was 5% of its time. Each
// id's bytes are still used once only.
const POOL_BYTES = RANDOM_ID_BYTES * 256
let pool = Buffer.alloc(0)
let poolOffset = 0

/**
 * A 128-bit crypto-random id as 32 lowercase hex characters. Hex rather than
 * base64url because ids name folders (`<run>/<assignment>/<agent>/`), and
 * case-insensitive file systems would fold base64url ids together.
 */
export function randomId(): string {
  if (poolOffset + RANDOM_ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES)
    poolOffset = 0
  }
  const id = pool.toString('hex', poolOffset, poolOffset + RANDOM_ID_BYTES)
  poolOffset += RANDOM_ID_BYTES
  return id
}
