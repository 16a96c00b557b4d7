import { describe, expect, it } from 'vitest'
import {
  FIXTURE_DIR,
  SEVERAL_PROCESSES,
  startCli,
  tempDir,
  workerLinks,
  type CliProcess,
} from '../support/cli-process.js'

const TOKEN = 'json-limits-test-token-0123456789'

// Each body breaks exactly one of the small limits below and none of the
// defaults, so the message of each refusal names the flag that caused it.
const SMALL = { depth: 5, keys: 3, nodes: 12, stringLength: 20 }
const BODIES = {
  depth: {
    body: { USED_AGENT_ID: null, error_data: { a: { b: { c: { d: {} } } } } },
    refusal: /nested deeper than 5 levels/,
  },
  keys: {
    body: { USED_AGENT_ID: null, error_data: { a: 1, b: 2, c: 3, d: 4 } },
    refusal: /more than 3 keys/,
  },
  nodes: {
    body: { USED_AGENT_ID: null, error_data: { list: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } },
    refusal: /more than 12 values/,
  },
  stringLength: {
    body: { USED_AGENT_ID: null, error_data: { text: 'x'.repeat(21) } },
    refusal: /longer than 20 characters/,
  },
} as const

const FLAGS = [
  '--max-json-depth',
  String(SMALL.depth),
  '--max-json-keys',
  String(SMALL.keys),
  '--max-json-nodes',
  String(SMALL.nodes),
  '--max-json-string-length',
  String(SMALL.stringLength),
]
const ENV = {
  FAUST_MAX_JSON_DEPTH: String(SMALL.depth),
  FAUST_MAX_JSON_KEYS: String(SMALL.keys),
  FAUST_MAX_JSON_NODES: String(SMALL.nodes),
  FAUST_MAX_JSON_STRING_LENGTH: String(SMALL.stringLength),
}

async function logError(base: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}/log_error`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  })
  return { status: response.status, body: await response.json() }
}

async function expectEachRefused(base: string): Promise<void> {
  for (const { body, refusal } of Object.values(BODIES)) {
    expect(await logError(base, body)).toEqual({
      status: 400,
      body: {
        error: { code: 'JSON_LIMIT_EXCEEDED', message: expect.stringMatching(refusal) as unknown },
      },
    })
  }
}

async function stop(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGINT')
  await cli.exited()
}

async function startRouter(args: string[], env: Record<string, string> = {}) {
  const cli = startCli(['router', '--port', '0', '--backend-token', TOKEN, ...args], env)
  const [, url] = await cli.waitFor(/serving (http:\/\/\S+?)\/ /, 'the router to start', 'stderr')
  return { cli, url: url! }
}

describe('faust router --max-json-*', () => {
  it('accepts every body with the defaults', SEVERAL_PROCESSES, async () => {
    const { cli, url } = await startRouter([])
    for (const { body } of Object.values(BODIES)) {
      expect((await logError(url, body)).status).toBe(200)
    }
    await stop(cli)
  })

  it('refuses each body over its flag', SEVERAL_PROCESSES, async () => {
    const { cli, url } = await startRouter(FLAGS)
    await expectEachRefused(url)
    await stop(cli)
  })

  it('refuses each body over its FAUST_MAX_JSON_* variable', SEVERAL_PROCESSES, async () => {
    const { cli, url } = await startRouter([], ENV)
    await expectEachRefused(url)
    await stop(cli)
  })
})

describe('faust run --max-json-*', () => {
  it.each([
    ['flags', FLAGS, {}],
    ['variables', [], ENV],
  ])('sets the local router limits from %s', SEVERAL_PROCESSES, async (_how, args, env) => {
    await using dataDir = await tempDir('faust-limits-')
    const cli = startCli(
      ['run', FIXTURE_DIR, '--port', '0', '--data-dir', dataDir.path, ...args],
      env,
    )
    const [link] = await workerLinks(cli)
    await expectEachRefused(link!.base)
    // Within the limits, the same route still works.
    expect((await logError(link!.base, { USED_AGENT_ID: null, error_data: {} })).status).toBe(200)
    await stop(cli)
  })
})
