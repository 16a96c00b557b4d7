// Opening a WebSocket with chosen headers and reporting whether the router
// accepted it or what it refused it with (router-socket-origin and the CLI
// surface tests).
import { WebSocket } from 'ws'

/** An upgrade's outcome: opened, or the refusal's status and JSON body. */
export type UpgradeResult =
  | { readonly opened: true }
  | { readonly opened: false; readonly status: number; readonly body: unknown }

/** Opens `socketUrl` with `headers` (bounded: 5 s), then closes it. */
export function upgrade(
  socketUrl: string,
  headers: Record<string, string>,
): Promise<UpgradeResult> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(socketUrl, { headers, handshakeTimeout: 5000 })
    socket.on('open', () => {
      socket.close()
      resolve({ opened: true })
    })
    socket.on('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        resolve({
          opened: false,
          status: response.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        })
      })
    })
    socket.on('error', reject)
  })
}
