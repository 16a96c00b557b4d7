/**
 * @typedef {object} LatencySummary
 * @property {number} count
 * @property {number} p50 milliseconds
 * @property {number} p90
 * @property {number} p99
 * @property {number} min
 * @property {number} max
 * @property {number} mean
 */

/**
 * Nearest-rank percentiles: every figure is a latency that was actually
 * observed, which keeps p99 honest on a few thousand samples.
 *
 * @param {readonly number[]} samplesMs
 * @returns {LatencySummary}
 */
export function summarize(samplesMs) {
  if (samplesMs.length === 0) throw new RangeError('no samples to summarize')
  const sorted = [...samplesMs].sort((a, b) => a - b)
  const at = (/** @type {number} */ fraction) =>
    /** @type {number} */ (
      sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]
    )
  const sum = sorted.reduce((total, value) => total + value, 0)
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    min: /** @type {number} */ (sorted[0]),
    max: /** @type {number} */ (sorted.at(-1)),
    mean: sum / sorted.length,
  }
}

/** @returns {number} a monotonic clock in milliseconds, comparable across processes on Linux */
export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
