import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURE_DIR, SEVERAL_PROCESSES, runCli, tempDir } from '../support/cli-process.js'

// `faust run --provider prolific|mturk` through the built binary, up to the
// confirmation: the quote, `Publish? [y/N]` refused without a terminal,
// `--budget`, and the credentials. None of it reaches a platform's API (the
// quote is computed from the platform's fees, before anything is published),
// so the endpoints point at a closed port.
// The runs that publish, against the platforms' local fakes, are in
// provider-prolific-e2e.test.ts and provider-mturk-e2e.test.ts.

const SECRET = 'prolific-token-never-printed-0123456789'

/** A platform whose API is unreachable: nothing here may call it. */
const CLOSED_PORT_ENV: Record<string, string> = {
  PROLIFIC_API_TOKEN: SECRET,
  PROLIFIC_API_URL: 'http://127.0.0.1:9',
  PROLIFIC_COMPLETION_URL: 'http://127.0.0.1:9/submissions/complete',
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-never-printed',
  AWS_ENDPOINT_URL_MTURK: 'http://127.0.0.1:9',
}

/** `faust run` of the fixture with debug logs (so a logged secret would show), and whether it left a data folder. */
async function run(
  args: readonly string[],
  env: Record<string, string> = CLOSED_PORT_ENV,
): Promise<Awaited<ReturnType<typeof runCli>> & { readonly dataCreated: boolean }> {
  await using dir = await tempDir('faust-cli-providers-')
  const data = join(dir.path, 'data')
  const result = await runCli(['run', FIXTURE_DIR, '--port', '0', '--data-dir', data, ...args], {
    ...env,
    FAUST_LOG_LEVEL: 'debug',
  })
  return { ...result, dataCreated: existsSync(data) }
}

function expectNoSecrets(output: string): void {
  expect(output).not.toContain(SECRET)
  expect(output).not.toContain('aws-secret-never-printed')
}

describe('faust run on a crowd platform, up to publishing', () => {
  it.each([
    { provider: 'prolific', extra: [] },
    { provider: 'mturk', extra: ['--sandbox'] },
  ])(
    '$provider: prints the quote, then refuses without a terminal and without --yes',
    SEVERAL_PROCESSES,
    async ({ provider, extra }) => {
      const result = await run(['--provider', provider, ...extra, '--bonus-budget', '1.50'])
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(new RegExp(`Cost of publishing cli-fixture on ${provider}`))
      expect(result.stdout).toMatch(/rewards: 2 units × \d+\.\d\d [A-Z]{3}/)
      expect(result.stdout).toMatch(/bonus budget +1\.50 [A-Z]{3}/)
      expect(result.stdout).toMatch(/total +\d+\.\d\d [A-Z]{3}/)
      expect(result.stderr).toContain('stdin is not a terminal to confirm it: add --yes')
      expectNoSecrets(result.stdout + result.stderr)
    },
  )

  it('refuses over --budget even with --yes, before publishing', SEVERAL_PROCESSES, async () => {
    const result = await run([
      '--provider',
      'prolific',
      '--yes',
      '--bonus-budget',
      '1',
      '--budget',
      '0.50',
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/the total \d+\.\d\d [A-Z]{3} is over --budget 0\.50/)
    expectNoSecrets(result.stdout + result.stderr)
  })
})
