import { createInterface, type Interface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { nextSteps } from './next-steps.js'
import { scaffold } from './scaffold.js'
import { ScaffoldError } from './scaffold-error.js'
import { TEMPLATE_NAMES, TEMPLATES, type TemplateName } from './templates.js'

const USAGE = `Usage: npm create faust [folder] -- [--template ${TEMPLATE_NAMES.join('|')}] [--name <name>]

Creates a Faust task project in <folder> (it must be new or empty).
Templates:
${TEMPLATE_NAMES.map((name) => `  ${name.padEnd(8)} ${TEMPLATES[name]}`).join('\n')}
Without --template, asks when run in a terminal, and takes ${TEMPLATE_NAMES[0] ?? ''} otherwise.
`

/** Streams the command talks to; tests pass their own. */
export interface MainIo {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
}

const PROCESS_IO: MainIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }

/** `create-faust [folder] [--template t] [--name n]`; returns the exit code. */
export async function main(args: readonly string[], io: MainIo = PROCESS_IO): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        template: { type: 'string', short: 't' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(USAGE)
      return 0
    }
    if (positionals.length > 1)
      throw new UsageError(`one folder only, got ${positionals.join(' ')}`)
    const { dir, template } = await chooseMissing(io, positionals[0], values.template)
    const result = await scaffold({ dir, template, name: values.name })
    io.stdout.write(nextSteps(result))
    return 0
  } catch (error) {
    return fail(io, error)
  }
}

class UsageError extends Error {}

function fail(io: MainIo, error: unknown): number {
  const known = error instanceof ScaffoldError || error instanceof UsageError
  const isArgError =
    error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  if (!known && isArgError !== true) throw error
  io.stderr.write(`create-faust: ${(error as Error).message}\n\n${USAGE}`)
  return 1
}

/**
 * The folder and the template, asked for when missing and run in a terminal.
 * One readline interface asks both: a second one on the same stream would
 * miss what the first had already read.
 */
async function chooseMissing(
  io: MainIo,
  dir: string | undefined,
  template: string | undefined,
): Promise<{ dir: string; template: string }> {
  const fallbackTemplate = TEMPLATE_NAMES[0] ?? 'react'
  if (io.stdin.isTTY !== true)
    return { dir: dir ?? 'my-task', template: template ?? fallbackTemplate }
  const prompt = createInterface({ input: io.stdin, output: io.stdout })
  try {
    return {
      dir: dir ?? (await ask(prompt, 'Project folder', 'my-task')),
      template: template ?? (await askTemplate(io, prompt)),
    }
  } finally {
    prompt.close()
  }
}

async function ask(prompt: Interface, question: string, fallback: string): Promise<string> {
  const answer = (await prompt.question(`${question} (${fallback}): `)).trim()
  return answer === '' ? fallback : answer
}

async function askTemplate(io: MainIo, prompt: Interface): Promise<TemplateName> {
  const lines = TEMPLATE_NAMES.map(
    (name, index) => `  ${String(index + 1)}. ${name.padEnd(8)} ${TEMPLATES[name]}`,
  )
  io.stdout.write(`Templates:\n${lines.join('\n')}\n`)
  for (;;) {
    const answer = await ask(prompt, 'Template (number or name)', '1')
    const byNumber = TEMPLATE_NAMES[Number(answer) - 1]
    const chosen = byNumber ?? TEMPLATE_NAMES.find((name) => name === answer)
    if (chosen !== undefined) return chosen
    io.stdout.write(`No template "${answer}".\n`)
  }
}
