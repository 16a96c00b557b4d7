// Turns measurements into the printed table and the saved JSON.
import { mkdir, writeFile } from 'node:fs/promises'

/**
 * @typedef {object} Row
 * @property {string} metric
 * @property {number | null} router
 * @property {number | null} baseline
 * @property {number | null} [relay] the minimal relay (bench/servers/relay-server.js), where measured
 * @property {string} unit
 * @property {number} digits decimals to print
 * @property {string} [target] what must hold, in words
 * @property {boolean} [pass] whether it held; absent when there is no target
 */

/**
 * @param {number | null} value
 * @param {number} digits
 */
function formatNumber(value, digits) {
  if (value === null || !Number.isFinite(value)) return '—'
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
}

/**
 * @param {number | null | undefined} router
 * @param {number | null | undefined} reference
 * @returns {number | null}
 */
function ratio(router, reference) {
  if (router === null || router === undefined) return null
  if (reference === null || reference === undefined || reference === 0) return null
  return router / reference
}

/**
 * @param {Row} row
 * @returns {number | null} router ÷ baseline
 */
export function ratioOf(row) {
  return ratio(row.router, row.baseline)
}

/**
 * @param {Row} row
 * @returns {number | null} router ÷ minimal relay
 */
export function relayRatioOf(row) {
  return ratio(row.router, row.relay)
}

/** @param {number | null} value */
function formatRatio(value) {
  return value === null ? '—' : `${value.toFixed(2)}×`
}

/**
 * @param {readonly Row[]} rows
 * @returns {string} a Markdown table, readable as plain text too
 */
export function formatTable(rows) {
  const header = [
    'metric',
    'router',
    'baseline',
    'ratio',
    'target',
    'result',
    'min. relay',
    'router ÷ relay',
  ]
  const numeric = new Set([1, 2, 3, 6, 7])
  const cells = rows.map((row) => [
    `${row.metric} (${row.unit})`,
    formatNumber(row.router, row.digits),
    formatNumber(row.baseline, row.digits),
    formatRatio(ratioOf(row)),
    row.target ?? '—',
    row.pass === undefined ? '—' : row.pass ? 'PASS' : 'FAIL',
    formatNumber(row.relay ?? null, row.digits),
    formatRatio(relayRatioOf(row)),
  ])
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => /** @type {string} */ (line[column]).length)),
  )
  const line = (/** @type {readonly string[]} */ values) =>
    `| ${values
      .map((value, column) => {
        const width = /** @type {number} */ (widths[column])
        return numeric.has(column) ? value.padStart(width) : value.padEnd(width)
      })
      .join(' | ')} |`
  const rule = `| ${widths
    .map((width, column) => (numeric.has(column) ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width)))
    .join(' | ')} |`
  return [line(header), rule, ...cells.map(line)].join('\n')
}

/**
 * @param {Date} date
 * @returns {string} ISO 8601 basic format (no colons, so it is a valid file name everywhere)
 */
function basicIso(date) {
  return date
    .toISOString()
    .replaceAll(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}

/**
 * @param {URL} resultsDir
 * @param {{ startedAt: string } & Record<string, unknown>} report
 * @returns {Promise<string>} the path written
 */
export async function saveReport(resultsDir, report) {
  await mkdir(resultsDir, { recursive: true })
  const file = new URL(`router-${basicIso(new Date(report.startedAt))}.json`, resultsDir)
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`)
  return file.pathname
}
