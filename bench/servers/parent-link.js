/**
 * The child side of bench/lib/child-process.js: answers the parent's
 * requests over IPC. Every child can report its memory and CPU time and be
 * asked to close; each server adds its own handlers.
 */

/** @typedef {(message: Record<string, any>) => unknown} Handler */

/**
 * Memory with garbage collected, so that deltas count what connections keep
 * alive rather than what they happened to allocate.
 *
 * @returns {Promise<NodeJS.MemoryUsage>}
 */
export async function collectedMemory() {
  const gc = globalThis.gc
  if (gc === undefined) throw new Error('run the child with --expose-gc')
  // Several passes with a turn of the loop between them let weak callbacks
  // and finalizers (sockets' native handles) release what they hold.
  for (let pass = 0; pass < 4; pass++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return process.memoryUsage()
}

/**
 * @param {Record<string, Handler> & { close: Handler }} handlers
 * @param {Record<string, unknown>} ready sent to the parent once the handlers are installed
 */
export function serveParent(handlers, ready) {
  const send = process.send?.bind(process)
  if (send === undefined) throw new Error('this file is a child of bench/router-bench.js')
  /** @type {Record<string, Handler>} */
  const all = {
    memory: () => collectedMemory(),
    cpu: () => process.cpuUsage(),
    ...handlers,
  }
  process.on('message', (/** @type {Record<string, any>} */ message) => {
    const handler = all[message['type']]
    const reply = (/** @type {Record<string, unknown>} */ outcome) => {
      // Exiting only once the answer is flushed, so the parent sees it.
      const after = message['type'] === 'close' ? () => process.exit(0) : undefined
      send({ id: message['id'], ...outcome }, undefined, {}, after)
    }
    if (handler === undefined) {
      reply({ ok: false, error: `unknown request '${String(message['type'])}'` })
      return
    }
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (value) => reply({ ok: true, value }),
        (/** @type {unknown} */ error) => reply({ ok: false, error: String(error) }),
      )
  })
  // An orphaned server would hold its port and CPU after the benchmark died.
  process.on('disconnect', () => process.exit(1))
  send({ type: 'ready', ...ready })
}
