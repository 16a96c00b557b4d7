// The commands a doc tells a reader to type: every line of its ```sh blocks.
import { readFile } from 'node:fs/promises'

/** The lines of every ```sh block in `file`, in order, without comments or blank lines. */
export async function docCommands(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8')
  const commands: string[] = []
  for (const [, block] of text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    for (const line of (block ?? '').split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim()
      if (command !== '') commands.push(command)
    }
  }
  return commands
}
