// axe-core in the browser tests: injects axe into a page and fails on any
// violation, naming each rule, its help text and the elements it flagged.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/** One violation as axe reports it (the fields read here). */
interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: readonly {
    readonly target: readonly unknown[]
    readonly failureSummary?: string
  }[]
}

/**
 * Runs every axe rule (WCAG 2.x A and AA, and best practices) on the page as
 * it is now; throws when any is violated. The source is evaluated through the
 * DevTools protocol, so the router's Content-Security-Policy (no inline
 * scripts) does not stop it, and the page itself is not changed otherwise.
 */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const loaded = await page.evaluate<boolean>('typeof window.axe === "object"')
  if (!loaded) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate<AxeViolation[]>(`
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((results) => results.violations.map(({ id, impact, help, nodes }) => ({
        id, impact, help,
        nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
      })))
  `)
  if (violations.length === 0) return
  const report = violations
    .map(
      (violation) =>
        `- ${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n` +
        violation.nodes
          .map((node) => `    ${JSON.stringify(node.target)}: ${node.failureSummary ?? ''}`)
          .join('\n'),
    )
    .join('\n')
  throw new Error(`axe found ${String(violations.length)} violation(s) on ${what}:\n${report}`)
}
