// Just enough of the Dockerfile syntax for the deploy tests: instructions
// (continuation lines joined, comments dropped) grouped into stages.

/** One instruction: `COPY a b` is `{ keyword: 'COPY', args: 'a b' }`. */
export interface Instruction {
  readonly keyword: string
  readonly args: string
}

/** A stage: `FROM <image> [AS <name>]` and what follows it. */
export interface Stage {
  readonly image: string
  readonly name: string | undefined
  readonly instructions: readonly Instruction[]
}

/** The instructions of a Dockerfile, in order. */
export function parseInstructions(text: string): Instruction[] {
  const logical: string[] = []
  let pending = ''
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (pending === '' && (line === '' || line.startsWith('#'))) continue
    if (line.startsWith('#')) continue
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `
      continue
    }
    logical.push(`${pending}${line}`.trim())
    pending = ''
  }
  if (pending !== '') logical.push(pending.trim())
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/)
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') }
  })
}

/** The stages of a Dockerfile. */
export function parseStages(text: string): Stage[] {
  const stages: { image: string; name: string | undefined; instructions: Instruction[] }[] = []
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/)
      stages.push({
        image,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      })
      continue
    }
    const stage = stages.at(-1)
    if (stage === undefined) throw new Error(`${instruction.keyword} before any FROM`)
    stage.instructions.push(instruction)
  }
  return stages
}

/** The arguments of every instruction of this keyword in the stage. */
export function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args)
}

/** `["a", "b"]` (exec form) as an array; shell form is refused. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args)
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`not an exec-form array: ${args}`)
  }
  return parsed
}

/** `ENV A=1 B=2` as a record (values without spaces or quotes, as ours are). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {}
  for (const args of argsOf(stage, 'ENV')) {
    for (const pair of args.split(/\s+/)) {
      const [name, ...value] = pair.split('=')
      if (name !== undefined && name !== '') env[name] = value.join('=')
    }
  }
  return env
}
