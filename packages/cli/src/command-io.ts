/** A stream a command writes text to; `isTTY` and `columns` exist on terminals. */
export interface OutputStream {
  write(text: string): unknown
  readonly isTTY?: boolean | undefined
  readonly columns?: number | undefined
}

/** Where a command reads a person's answers (`process.stdin`); `isTTY` is set on a terminal. */
export interface InputStream extends NodeJS.ReadableStream {
  readonly isTTY?: boolean | undefined
}

/** What a command needs from its process: output and a way to wait for a stop signal. */
export interface CommandIo {
  /** Results, links and progress. */
  readonly stdout: OutputStream
  /** Errors, warnings and notes about what the command is doing. */
  readonly stderr: OutputStream
  /** Answers to questions (`faust run`'s `Publish? [y/N]`); unset means nobody can answer. */
  readonly stdin?: InputStream | undefined
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  readonly stopSignal: Promise<string>
}
