#!/usr/bin/env node
// The built CLI; `npm ci` (prepare) and `npm run build` produce ../dist.
import { main } from '../dist/main.js'

process.exitCode = await main(process.argv)
