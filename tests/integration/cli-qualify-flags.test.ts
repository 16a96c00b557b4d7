import { describe, expect, it } from 'vitest'
import { runCli, tempDir, SEVERAL_PROCESSES } from '../support/cli-process.js'

// The flags of `faust qualify` and `faust block` not covered by
// cli-qualify.test.ts: the data folder as a variable, and --provider.
describe('faust qualify and block flags', () => {
  it.each([
    {
      command: ['qualify', 'grant', 'w1', 'skill', '2'],
      stdout: "granted 'skill' = 2 to w1_sandbox (mock)\n",
    },
    {
      command: ['qualify', 'list', '--worker', 'w1'],
      stdout: /^WORKER.*\nw1_sandbox\s+mock\s+seed/,
    },
    {
      command: ['qualify', 'revoke', 'w1', 'seed'],
      stdout: "revoked 'seed' from w1_sandbox (mock)\n",
    },
    { command: ['block', 'w1'], stdout: "blocked w1_sandbox (mock): 'blocked' granted\n" },
  ])(
    'faust $command.0 $command.1 reads the data folder from FAUST_DATA_DIR',
    SEVERAL_PROCESSES,
    async ({ command, stdout }) => {
      await using data = await tempDir('faust-qualify-env-')
      // The worker is created in that folder with the flag; the command finds it through the variable.
      const seed = await runCli([
        'qualify',
        'grant',
        'w1',
        'seed',
        '--create',
        '--data-dir',
        data.path,
      ])
      expect(seed.code).toBe(0)
      const result = await runCli(command, { FAUST_DATA_DIR: data.path })
      expect(result.stderr).toBe('')
      expect(result.stdout).toMatch(stdout)
    },
  )

  it(
    '--provider names the provider of a new worker and narrows lookups',
    SEVERAL_PROCESSES,
    async () => {
      await using data = await tempDir('faust-qualify-provider-')
      const blocked = await runCli([
        'block',
        'p1',
        '--provider',
        'prolific',
        '--create',
        '--data-dir',
        data.path,
      ])
      expect(blocked.stdout).toBe("blocked p1 (prolific): 'blocked' granted\n")
      // The same name for the mock provider is another worker, never seen.
      const mock = await runCli(['block', 'p1', '--provider', 'mock', '--data-dir', data.path])
      expect(mock.code).toBe(1)
      expect(mock.stderr).toContain("no worker 'p1' for provider 'mock'")
      const unblocked = await runCli([
        'block',
        '--revoke',
        'p1',
        '--provider',
        'prolific',
        '--data-dir',
        data.path,
      ])
      expect(unblocked.stdout).toBe("unblocked p1 (prolific) ('blocked' revoked)\n")
    },
  )
})
