// create-faust: `npm create faust` and `faust init` make a task project from
// one of its templates (docs/getting-started.md).

export { main } from './main.js'
export type { MainIo } from './main.js'
export { nextSteps } from './next-steps.js'
export { scaffold } from './scaffold.js'
export type { ScaffoldOptions, ScaffoldResult } from './scaffold.js'
export { ScaffoldError } from './scaffold-error.js'
export type { ScaffoldErrorCode } from './scaffold-error.js'
export { isTemplateName, TEMPLATE_NAMES, TEMPLATES } from './templates.js'
export type { TemplateName } from './templates.js'
