// The `faust` command line: a thin shell over the router and backend libraries.
export { buildProgram, main } from './main.js'
export type { CommandIo, OutputStream } from './command-io.js'
export { prepareSite, taskConfigFor } from './site/prepare-site.js'
export type { PrepareSiteOptions } from './site/prepare-site.js'
