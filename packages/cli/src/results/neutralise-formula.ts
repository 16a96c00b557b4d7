// Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
// (and some strip a leading tab or CR first), so worker-controlled text such
// as a worker name `=HYPERLINK("http://x","y")` became a live link or worse
// when a requester opened the export. OWASP's advice for CSV injection: put
// a single quote in front, which spreadsheets take as "this is text".
const FORMULA_START = /^[=+\-@\t\r]/

/** `text` with a leading `'` when a spreadsheet would read it as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}
