// Prints the one summary line CI reads ("N passed, N failed, N skipped") from
// Vitest's JSON report, and exits non-zero if anything failed or nothing ran.
import { readFileSync } from 'node:fs'

const reportPath = process.argv[2] ?? 'test-results/vitest.json'
let report
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'))
} catch (error) {
  console.log('0 passed, 1 failed')
  console.error(
    `test-summary: cannot read ${reportPath}: ${error instanceof Error ? error.message : String(error)}`,
  )
  process.exit(1)
}
const passed = report.numPassedTests ?? 0
// A file that fails outside its tests counts as one failure: it failed to
// load (no tests), or a hook or a type error between type tests (`*.test-d.ts`)
// failed it while every test in it passed.
const failedSuites = (report.testResults ?? []).filter(
  (file) =>
    file.status === 'failed' &&
    !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
).length
const failed = (report.numFailedTests ?? 0) + failedSuites
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
