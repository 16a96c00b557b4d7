// Issue 9 item 5: the router's HTTP server closes connections that send
// nothing, stall in their headers or body, or idle after a request, on the
// router's own (short) deadlines instead of Node's (60 s, 300 s, 72 s).
// Node's HTTP server runs on real time (the injected clock cannot drive it),
// so the deadlines here are short and every wait is bounded.
import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { within, startTestRouter, type TestRouter } from '@faust/testing'

const SHORT = { headersTimeoutMs: 300, bodyTimeoutMs: 600, keepAliveTimeoutMs: 300 }
/** Long enough for any of the deadlines above to pass, far below Node's defaults. */
const BOUND_MS = 5000

interface RawConnection {
  readonly socket: Socket
  /** Everything the server wrote, once it closed the connection. */
  readonly ended: Promise<string>
}

async function open(t: TestRouter): Promise<RawConnection> {
  const socket = connect(t.router.port, t.router.host)
  await within(
    new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject)),
    BOUND_MS,
    'tcp connect',
  )
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise<string>((resolve) => {
    socket.once('close', () => {
      resolve(Buffer.concat(chunks).toString('latin1'))
    })
  })
  return { socket, ended }
}

function closedWithin(connection: RawConnection, what: string): Promise<string> {
  return within(connection.ended, BOUND_MS, what)
}

describe('HTTP server deadlines', () => {
  it('closes a connection that never sends a byte after headersTimeoutMs', async () => {
    await using t = await startTestRouter(SHORT)
    const connection = await open(t)
    // Node says 408 even to a peer that never asked anything.
    expect(await closedWithin(connection, 'a silent connection to close')).toMatch(
      /^HTTP\/1\.1 408/,
    )
  })

  it('answers 408 and closes when the headers stall', async () => {
    await using t = await startTestRouter(SHORT)
    const connection = await open(t)
    connection.socket.write('GET /task_config.json HTTP/1.1\r\nHost: x\r\n')
    expect(await closedWithin(connection, 'stalled headers to close')).toMatch(/^HTTP\/1\.1 408/)
  })

  it('answers 408 and closes when a body stalls past bodyTimeoutMs', async () => {
    await using t = await startTestRouter(SHORT)
    const connection = await open(t)
    connection.socket.write(
      'POST /submit_task HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"USED_',
    )
    expect(await closedWithin(connection, 'a stalled body to close')).toMatch(/^HTTP\/1\.1 408/)
  })

  it('closes an idle keep-alive connection after keepAliveTimeoutMs', async () => {
    await using t = await startTestRouter(SHORT)
    const connection = await open(t)
    connection.socket.write('GET /task_config.json HTTP/1.1\r\nHost: x\r\n\r\n')
    const answer = await closedWithin(connection, 'an idle keep-alive connection to close')
    expect(answer).toMatch(/^HTTP\/1\.1 200/)
    expect(answer).toContain('timeout=0') // Keep-Alive: timeout=<seconds>, rounded down
  })

  it('refuses a headers timeout longer than the body timeout', async () => {
    await expect(startTestRouter({ headersTimeoutMs: 2000, bodyTimeoutMs: 1000 })).rejects.toThrow(
      /headersTimeoutMs \(2000\) must not be longer than bodyTimeoutMs \(1000\)/,
    )
  })
})
