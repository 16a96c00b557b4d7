const MiB = 1024 * 1024

/**
 * A byte count as help texts show it: whole mebibytes as `10 MiB`, anything
 * else in bytes. The values are the router's (ROUTER_DEFAULTS), so the help
 * never repeats a number that could drift from what the router does.
 */
export function sizeText(bytes: number): string {
  return bytes % MiB === 0 ? `${String(bytes / MiB)} MiB` : `${String(bytes)} bytes`
}
