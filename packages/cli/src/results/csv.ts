// RFC 4180: fields separated by commas, records by CRLF; a field holding a
// comma, a double quote, CR or LF is enclosed in double quotes, and a double
// quote inside it is doubled.
import { neutraliseFormula } from './neutralise-formula.js'

/** Quotes one field when RFC 4180 requires it, or when edge spaces would be trimmed by readers. */
export function csvField(value: string): string {
  const needsQuotes = /[",\r\n]/.test(value) || value !== value.trim()
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}

/**
 * A cell's text: strings as they are (but never as a spreadsheet formula, see
 * neutralise-formula.ts), numbers and booleans printed, missing values empty,
 * and anything nested (objects, arrays) as JSON.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return neutraliseFormula(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value)
  }
  return JSON.stringify(value) ?? ''
}
