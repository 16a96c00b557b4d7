import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * @typedef {object} BenchChild
 * @property {string} name
 * @property {number} pid
 * @property {Record<string, unknown>} ready what the child announced once listening
 * @property {(type: string, payload?: Record<string, unknown>) => Promise<any>} request
 * @property {() => Promise<void>} stop asks the child to close, kills it if it does not exit in time
 */

const SERVERS_DIR = fileURLToPath(new URL('../servers/', import.meta.url))

/**
 * Forks one of `bench/servers/*.js` so that it runs on its own event loop
 * (and, on two cores, mostly on its own core), then waits for its `ready`.
 *
 * @param {string} name file name in bench/servers, without `.js`
 * @param {{ env?: Record<string, string>, execArgv?: string[], timeoutMs?: number }} [options]
 * @returns {Promise<BenchChild>}
 */
export async function startChild(name, options = {}) {
  const { env = {}, execArgv = [], timeoutMs = 20_000 } = options
  const child = fork(`${SERVERS_DIR}${name}.js`, [], {
    // gc() lets the child report memory with garbage already collected.
    execArgv: ['--expose-gc', ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>} */
  const pending = new Map()
  let nextId = 1
  let exited = false

  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} did not become ready within ${String(timeoutMs)} ms`))
    }, timeoutMs)
    child.on('message', (/** @type {any} */ message) => {
      if (message.type === 'ready') {
        clearTimeout(timer)
        resolve(message)
        return
      }
      const waiter = pending.get(message.id)
      if (waiter === undefined) return
      pending.delete(message.id)
      if (message.ok) waiter.resolve(message.value)
      else waiter.reject(new Error(`${name}: ${String(message.error)}`))
    })
    child.on('exit', (code, signal) => {
      exited = true
      clearTimeout(timer)
      const error = new Error(`${name} exited (code ${String(code)}, signal ${String(signal)})`)
      reject(error)
      for (const waiter of pending.values()) waiter.reject(error)
      pending.clear()
    })
  })

  /** @type {BenchChild['request']} */
  const request = (type, payload = {}) =>
    new Promise((resolve, reject) => {
      if (exited) {
        reject(new Error(`${name} has exited`))
        return
      }
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error(`${name} did not answer '${type}' within ${String(timeoutMs)} ms`))
      }, timeoutMs)
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      child.send({ ...payload, id, type })
    })

  const stop = async () => {
    if (exited) return
    const gone = new Promise((resolve) => child.once('exit', resolve))
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
    try {
      await request('close')
    } catch {
      child.kill('SIGKILL')
    }
    await gone
    clearTimeout(killer)
  }

  return { name, pid: /** @type {number} */ (child.pid), ready, request, stop }
}
