#!/usr/bin/env node
// `npm create faust <folder>` runs this; `npm run build` produces ../dist.
import { main } from '../dist/main.js'

process.exitCode = await main(process.argv.slice(2))
