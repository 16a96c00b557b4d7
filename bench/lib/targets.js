// Starting and stopping what is measured: the router with its backend, and
// the raw echo baseline, each in child processes.
import { randomBytes } from 'node:crypto'
import { startChild } from './child-process.js'

/** @typedef {import('./child-process.js').BenchChild} BenchChild */

/**
 * @typedef {object} RouterStack
 * @property {BenchChild} router the router, or the minimal relay
 * @property {BenchChild} backend
 * @property {string} url
 * @property {string} socketUrl
 * @property {(agentIds: string[]) => Promise<number>} admit resolves once the router has admitted them
 * @property {() => Promise<void>} stop
 */

/**
 * @typedef {object} EchoTarget
 * @property {BenchChild} echo
 * @property {string} url
 * @property {string} socketUrl
 * @property {() => Promise<void>} stop
 */

/**
 * @typedef {object} Targets
 * @property {() => Promise<RouterStack>} startRouterStack
 * @property {() => Promise<RouterStack>} startRelayStack the minimal relay (bench/servers/relay-server.js) with the same backend
 * @property {() => Promise<EchoTarget>} startEcho
 * @property {() => Promise<void>} stopAll for the deadline and for errors
 */

/**
 * @param {{ cpuProfileDir?: string | undefined }} options with a folder, the router child writes a V8 CPU profile there when it stops
 * @returns {Targets}
 */
export function createTargets({ cpuProfileDir }) {
  /** @type {Set<BenchChild>} */
  const running = new Set()

  /**
   * @param {string} name
   * @param {{ env?: Record<string, string>, execArgv?: string[] }} [options]
   */
  const launch = async (name, options) => {
    const child = await startChild(name, options)
    running.add(child)
    return child
  }
  const stop = async (/** @type {BenchChild} */ child) => {
    running.delete(child)
    await child.stop()
  }

  /**
   * A relay (the router, or the minimal relay) with the bench backend attached.
   *
   * @param {'router-server' | 'relay-server'} server
   * @returns {Promise<RouterStack>}
   */
  const startStack = async (server) => {
    const token = randomBytes(24).toString('hex')
    const profile =
      cpuProfileDir !== undefined && server === 'router-server'
        ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`]
        : []
    const router = await launch(server, { env: { FAUST_BENCH_TOKEN: token }, execArgv: profile })
    const socketUrl = String(router.ready['socketUrl'])
    const backend = await launch('echo-backend', {
      env: { FAUST_BENCH_TOKEN: token, FAUST_BENCH_SOCKET_URL: socketUrl },
    })
    return {
      router,
      backend,
      url: String(router.ready['url']),
      socketUrl,
      admit: (agentIds) => backend.request('admit', { agentIds }),
      stop: async () => {
        // Backend first: the relay closing under it would look like a crash.
        await stop(backend)
        await stop(router)
      },
    }
  }

  return {
    startRouterStack: () => startStack('router-server'),
    startRelayStack: () => startStack('relay-server'),
    async startEcho() {
      const echo = await launch('echo-server')
      return {
        echo,
        url: String(echo.ready['url']),
        socketUrl: `ws://127.0.0.1:${String(echo.ready['port'])}/`,
        stop: () => stop(echo),
      }
    },
    async stopAll() {
      await Promise.allSettled([...running].map((child) => stop(child)))
    },
  }
}
