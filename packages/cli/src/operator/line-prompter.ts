import { createInterface } from 'node:readline/promises'
import type { InputStream, OutputStream } from '../command-io.js'

/** Asks a person one line at a time. */
export interface Prompter {
  /** The answer without its line end, or null once nobody can answer (end of input, Ctrl-C). */
  ask(question: string): Promise<string | null>
  close(): void
}

/**
 * Questions on `input` and `output` through readline. Lines are read from
 * readline's async iterator, which keeps lines that arrive before a question
 * is asked (typed ahead, or piped in at once with `--interactive`), where
 * `question()` would drop them. The terminal stays in its own line mode
 * (echo and erase are the terminal's), so Ctrl-C is a signal: `stopped`
 * resolving ends the questions, as does the end of input (Ctrl-D).
 */
export function linePrompter(streams: {
  readonly input: InputStream
  readonly output: OutputStream
  readonly stopped?: Promise<unknown> | undefined
}): Prompter {
  const { input, output, stopped } = streams
  const reader = createInterface({ input, terminal: false })
  const lines = reader[Symbol.asyncIterator]()
  // Not on 'close': lines piped in before the end of input are still to be read.
  let stop = false
  void stopped?.then(() => {
    stop = true
    reader.close()
  })
  return {
    async ask(question) {
      if (stop) return null
      output.write(question)
      const next = await lines.next()
      return next.done === true ? null : next.value
    },
    close() {
      reader.close()
    },
  }
}
