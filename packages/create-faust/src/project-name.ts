import { basename, resolve } from 'node:path'
import { ScaffoldError } from './scaffold-error.js'

// npm's rule for a package name without a scope: lower case, URL-safe, not
// starting with a dot or an underscore, at most 214 characters.
const VALID_NAME = /^[a-z0-9~-][a-z0-9._~-]*$/
const MAX_NAME_LENGTH = 214

/**
 * The project's package name (also its task's name): the one given, or the
 * folder's name made into a valid one ("My Study" becomes "my-study").
 */
export function projectNameFor(dir: string, given?: string): string {
  if (given !== undefined) {
    if (!isValidName(given)) {
      throw new ScaffoldError(
        'BAD_PROJECT_NAME',
        `"${given}" is not a valid package name: use lower-case letters, digits, '-', '.', '_' or '~'`,
      )
    }
    return given
  }
  const derived = basename(resolve(dir))
    .normalize('NFKD')
    .replaceAll(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replaceAll(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_NAME_LENGTH)
  return isValidName(derived) ? derived : 'faust-task'
}

function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && VALID_NAME.test(name)
}
