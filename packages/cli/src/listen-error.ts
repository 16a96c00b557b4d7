/** Where a router was asked to listen, to name it in an error. */
export interface ListenAddress {
  readonly host: string
  readonly port: number
}

/**
 * Runs `listen` (a router's start) and turns the operating system's terse
 * `listen EADDRINUSE` into a message that says what to do: the usual cause
 * is a second `faust run` or `faust router` on the default port 3000.
 */
export async function explainListenError<T>(
  address: ListenAddress,
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen()
  } catch (error) {
    throw describeListenError(error, address)
  }
}

/** The error to show for a failed listen; other errors are returned as they are. */
export function describeListenError(error: unknown, address: ListenAddress): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const where = `${address.host}:${String(address.port)}`
  if (code === 'EADDRINUSE') {
    return new Error(
      `port ${String(address.port)} is already in use on ${address.host} (another faust router or run?): ` +
        'pass --port <n> with a free port, or --port 0 to pick any free one',
      { cause: error },
    )
  }
  if (code === 'EACCES') {
    return new Error(
      `not allowed to listen on ${where} (ports below 1024 need privileges): pass --port <n> above 1023, or --port 0`,
      { cause: error },
    )
  }
  if (code === 'EADDRNOTAVAIL') {
    return new Error(`${address.host} is not an address of this machine: check --host`, {
      cause: error,
    })
  }
  return error
}
