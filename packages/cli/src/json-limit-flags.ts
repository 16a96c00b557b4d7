import { Option, type Command } from 'commander'
import type { RouterOptions } from '@faust/router'
import { ROUTER_DEFAULTS as D } from '@faust/router/defaults'
import { parseNonNegativeInteger } from './parse-number.js'

/** The JSON limit flags, as commander hands them over (unset: the router's default). */
export interface JsonLimitFlags {
  maxJsonDepth?: number
  maxJsonKeys?: number
  maxJsonNodes?: number
  maxJsonStringLength?: number
}

/** The router options the flags set. */
export type RouterJsonLimits = Pick<
  RouterOptions,
  'maxJsonDepth' | 'maxJsonKeys' | 'maxJsonNodes' | 'maxJsonStringLength'
>

const FLAGS = [
  [
    '--max-json-depth <n>',
    `deepest nesting in a frame or body (default ${String(D.maxJsonDepth)})`,
    'FAUST_MAX_JSON_DEPTH',
  ],
  [
    '--max-json-keys <n>',
    `most keys in one JSON object (default ${String(D.maxJsonKeys)})`,
    'FAUST_MAX_JSON_KEYS',
  ],
  [
    '--max-json-nodes <n>',
    `most values in one frame or body (default ${String(D.maxJsonNodes)})`,
    'FAUST_MAX_JSON_NODES',
  ],
  [
    '--max-json-string-length <n>',
    "longest string in a worker's JSON (default: the body limit)",
    'FAUST_MAX_JSON_STRING_LENGTH',
  ],
] as const

/** Adds the `--max-json-*` flags (each with its FAUST_ variable) to `command`. */
export function withJsonLimitOptions(command: Command): Command {
  for (const [flags, description, env] of FLAGS) {
    command.addOption(new Option(flags, description).env(env).argParser(parseNonNegativeInteger))
  }
  return command
}

/** The router options from the flags. */
export function routerJsonLimits(flags: JsonLimitFlags): RouterJsonLimits {
  return {
    maxJsonDepth: flags.maxJsonDepth,
    maxJsonKeys: flags.maxJsonKeys,
    maxJsonNodes: flags.maxJsonNodes,
    maxJsonStringLength: flags.maxJsonStringLength,
  }
}
