import { relative } from 'node:path'
import type { ScaffoldResult } from './scaffold.js'
import { TEMPLATES } from './templates.js'

/** What to type next, for `npm create faust` and `faust init` alike. */
export function nextSteps(result: ScaffoldResult, cwd: string = process.cwd()): string {
  const shown = relative(cwd, result.dir) || '.'
  const cd = shown === '.' ? [] : [`  cd ${shown.includes(' ') ? `"${shown}"` : shown}`]
  return [
    `Created ${result.name} in ${result.dir} from the ${result.template} template (${TEMPLATES[result.template]}).`,
    '',
    'Next:',
    ...cd,
    '  npm install',
    '  npm test                           # the task, tested with bots',
    '  npx faust simulate . --workers 5   # the task end to end with 5 simulated workers',
    '  npx faust run .                    # serve it: open a printed link in a browser',
    '',
  ].join('\n')
}
