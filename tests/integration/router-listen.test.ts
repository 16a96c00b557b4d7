import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { within } from '@faust/testing'

// The built router, run in a child process: what is checked is that the
// process ends by itself, which only a process of its own can show.
const ROUTER_URL = pathToFileURL(
  fileURLToPath(new URL('../../packages/router/dist/index.js', import.meta.url)),
).href

/** A script that starts a router on `port` and prints the error's code. */
function startOnBusyPort(port: number): string {
  return `
    import { createRouter } from ${JSON.stringify(ROUTER_URL)}
    try {
      await createRouter({ backendToken: 'listen-test-secret-0123456789', host: '127.0.0.1', port: ${String(port)}, logLevel: 'silent' })
      console.log('listening')
    } catch (error) {
      console.log('failed', error.code)
    }
  `
}

describe('createRouter on a port in use', () => {
  it('rejects with EADDRINUSE and leaves nothing running that keeps the process alive', async () => {
    const holder = createServer()
    holder.listen(0, '127.0.0.1')
    await once(holder, 'listening')
    try {
      const { port } = holder.address() as AddressInfo
      const child = spawn(process.execPath, ['--input-type=module', '-e', startOnBusyPort(port)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      // Before the fix the relay's sweep timer kept the process alive forever.
      const [code] = (await within(once(child, 'exit'), 10_000, 'the process to end')) as [number]
      expect(stdout.trim()).toBe('failed EADDRINUSE')
      expect(code).toBe(0)
      child.kill()
    } finally {
      holder.close()
    }
  })
})
