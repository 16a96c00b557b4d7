import { describe, expect, it } from 'vitest'
import { FIXTURE_DIR, SEVERAL_PROCESSES, startCli, tempDir } from '../support/cli-process.js'

describe('the backend fault hook (FAUST_FAULT_HOOK)', () => {
  it(
    'fills the disk on SIGUSR2 for FAUST_FAULT_DISK_FULL_MS, then lifts it',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-fault-hook-')
      const cli = startCli(['run', FIXTURE_DIR, '--data-dir', data.path, '--port', '0'], {
        FAUST_FAULT_HOOK: '1',
        FAUST_FAULT_DISK_FULL_MS: '50',
      })
      try {
        await cli.waitFor(/Ctrl-C (stops|pauses) the run/, 'the run to start')
        cli.child.kill('SIGUSR2')
        await cli.waitFor(/the disk is full now/, 'the fault', 'stderr')
        await cli.waitFor(/the disk has room again/, 'the fault to end', 'stderr')
      } finally {
        cli.child.kill('SIGTERM')
      }
      const result = await cli.exited()
      // The hook leaves the run as it was: it stops cleanly.
      expect(result.code).toBe(0)
    },
  )
})
