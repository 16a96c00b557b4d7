// docs/operations.md shows the Grafana dashboard that deploy/grafana-dashboard.json ships; this
// keeps the two equal, and checks every metric the dashboard queries against a real scrape.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { FIXTURE_DIR, SEVERAL_PROCESSES, startCli, tempDir } from '../support/cli-process.js'

const DOC = new URL('../../docs/operations.md', import.meta.url)
const DASHBOARD = new URL('../../deploy/grafana-dashboard.json', import.meta.url)

interface Dashboard {
  readonly panels: readonly { readonly targets: readonly { readonly expr: string }[] }[]
}

/** The JSON block under "## Grafana dashboard". */
function dashboardInDoc(markdown: string): unknown {
  const section = markdown.slice(markdown.indexOf('## Grafana dashboard'))
  const block = /```json\n([\s\S]*?)\n```/.exec(section)
  expect(block, 'a ```json block under "## Grafana dashboard"').not.toBeNull()
  return JSON.parse(block![1]!) as unknown
}

/** Metric names a PromQL expression reads (histogram series by their family's name). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:faust|nodejs|process)_\w+)/g)].map(([, name]) =>
    name!.replace(/_(bucket|sum|count)$/, ''),
  )
}

describe('docs/operations.md', () => {
  it('shows the dashboard deploy/grafana-dashboard.json ships', async () => {
    const shipped = JSON.parse(await readFile(DASHBOARD, 'utf8')) as unknown
    expect(dashboardInDoc(await readFile(DOC, 'utf8'))).toEqual(shipped)
  })

  it('queries only metrics that faust run --metrics-port serves', SEVERAL_PROCESSES, async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard
    const queried = new Set(
      dashboard.panels.flatMap((panel) => panel.targets.flatMap(({ expr }) => metricNames(expr))),
    )
    expect(queried.size).toBeGreaterThan(15)

    await using data = await tempDir('faust-docs-operations-')
    const cli = startCli([
      'run',
      FIXTURE_DIR,
      '--port',
      '0',
      '--data-dir',
      data.path,
      '--metrics-port',
      '0',
    ])
    const [, url] = await cli.waitFor(/metrics: (http:\/\/\S+)\n/, 'the metrics line')
    await cli.waitFor(/Ctrl-C pauses the run/, 'the run to start')
    const text = await (await fetch(url!, { signal: AbortSignal.timeout(5000) })).text()
    cli.child.kill('SIGINT')
    expect((await cli.exited()).code).toBe(0)

    const served = new Set([...text.matchAll(/^# TYPE (\w+) /gm)].map(([, name]) => name!))
    expect([...queried].filter((name) => !served.has(name))).toEqual([])
  })
})
