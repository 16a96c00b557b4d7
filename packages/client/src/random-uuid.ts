interface RandomSource {
  randomUUID(): string
  getRandomValues(array: Uint8Array): Uint8Array
}

/**
 * A random v4 UUID: `crypto.randomUUID()` where available. Pages served over
 * plain HTTP from another host than localhost are not a secure context and
 * lack `randomUUID`, so the fallback builds one from `getRandomValues`.
 */
export function randomUuid(): string {
  const crypto = (globalThis as { crypto?: Partial<RandomSource> }).crypto
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID()
  const bytes = new Uint8Array(16)
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes)
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
