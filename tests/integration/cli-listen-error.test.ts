import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { FIXTURE_DIR, runCli, tempDir } from '../support/cli-process.js'

describe('a port already in use', () => {
  // Issue 12: the error was the bare "listen EADDRINUSE", and the process
  // stayed alive after it (runCli fails when the process does not end).
  it.each([
    {
      command: 'router',
      args: (): string[] => ['router', '--backend-token', 'listen-test-secret-0123456789'],
    },
    { command: 'run', args: (dataDir: string) => ['run', FIXTURE_DIR, '--data-dir', dataDir] },
  ])('faust $command says to pick another port and exits 1 at once', async ({ args }) => {
    await using data = await tempDir('faust-listen-')
    const holder = createServer()
    holder.listen(0, '127.0.0.1')
    await once(holder, 'listening')
    try {
      const port = String((holder.address() as AddressInfo).port)
      const result = await runCli([...args(data.path), '--port', port])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`faust: port ${port} is already in use on 127.0.0.1`)
      expect(result.stderr).toContain('--port 0')
    } finally {
      holder.close()
    }
  })
})
