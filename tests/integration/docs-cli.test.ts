import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '@faust/cli'

// docs/cli.md promises one table per command with every flag and its
// environment variable; this keeps the tables and the program in step.
const DOC = new URL('../../docs/cli.md', import.meta.url)

/** A flag as the program or the docs have it: its long name and its variable (empty if none). */
interface Flag {
  readonly name: string
  readonly env: string
}

/** The flags of a top-level command and of its subcommands (`qualify grant|revoke|list`). */
function programFlags(command: Command): Flag[] {
  const own = command.options.map((option) => ({
    name: option.long ?? option.flags,
    env: option.envVar ?? '',
  }))
  return [...own, ...command.commands.flatMap(programFlags)]
}

/** Every flag row of each `## \`faust <command>...\`` section, keyed by the command's name. */
function documentedFlags(markdown: string): Map<string, Flag[]> {
  const sections = new Map<string, Flag[]>()
  let current: Flag[] | undefined
  for (const line of markdown.split('\n')) {
    const heading = /^## `faust ([\w-]+)/.exec(line)
    if (heading !== null) sections.set(heading[1]!, (current = []))
    else if (line.startsWith('## ')) current = undefined
    const row = /^\| `(--[\w-]+)[^`]*` *\| *(?:`(\w+)`)? *\|/.exec(line)
    if (row !== null && current !== undefined) current.push({ name: row[1]!, env: row[2] ?? '' })
  }
  return sections
}

const unique = (flags: Flag[]): Flag[] =>
  [...new Map(flags.map((flag) => [flag.name, flag])).values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  )

const program = buildProgram({
  stdout: { write: () => true },
  stderr: { write: () => true },
  stopSignal: new Promise<string>(() => undefined),
})

describe('docs/cli.md', () => {
  it.each(program.commands.map((command) => ({ name: command.name(), command })))(
    'lists every flag of faust $name, with its environment variable, and no other',
    async ({ name, command }) => {
      const documented = documentedFlags(await readFile(DOC, 'utf8')).get(name)
      expect(documented, `a section "## \`faust ${name}\`" in docs/cli.md`).toBeDefined()
      expect(unique(documented ?? [])).toEqual(unique(programFlags(command)))
    },
  )
})
