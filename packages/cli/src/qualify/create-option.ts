import type { Option } from 'commander'
import { booleanOption } from '../parse-number.js'

/**
 * `--create`: lets `qualify grant` and `block` create a worker never seen.
 * Off by default, so that a typo (`w1` for `wl`) is refused instead of
 * quietly qualifying or blocking a worker who does not exist.
 */
export function createOption(): Option {
  return booleanOption(
    '--create',
    'create the worker if never seen (to qualify or block them before they register)',
    'FAUST_CREATE_WORKER',
  )
}

/** What to add to "no worker ..." when `--create` would have made one. */
export const CREATE_HINT = 'pass --create to create it ahead of its first registration'
