// One simulated worker's page: `@faust/client` in Node, for one assignment,
// with what a live bot reads (updates, status) and a handle on its sockets so
// the chaos can drop them.
import { WebSocket } from 'ws'
import type { BotLiveContext, BotLiveView, LiveData } from '@faust/backend'
import { createTaskClient, mockWorkerProvider, type TaskClient } from '@faust/client'
import type { Random } from './seeded-random.js'

/** A mock provider's page identity: worker `name` on `assignmentId`. */
export const simProvider = mockWorkerProvider

/** The page's sockets, so a fault can drop one as a flaky network would. */
export class SocketTracker {
  readonly #open = new Set<WebSocket>()

  /** A `ws` WebSocket class that reports its instances here. */
  get WebSocket(): new (url: string) => WebSocket {
    const open = this.#open
    return class TrackedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url)
        open.add(this)
        this.on('close', () => open.delete(this))
      }
    }
  }

  /** Cuts every open socket without a close frame; the page reconnects. */
  dropAll(): number {
    const sockets = [...this.#open]
    for (const socket of sockets) socket.terminate()
    return sockets.length
  }
}

/** Options of {@link openBotPage}. */
export interface BotPageOptions {
  readonly baseUrl: string
  readonly worker: string
  readonly assignmentId: string
  readonly live: boolean
  readonly sockets: SocketTracker
}

/** A client for one assignment; nothing is sent until `start()`. */
export function openBotPage(options: BotPageOptions): TaskClient {
  return createTaskClient({
    baseUrl: options.baseUrl,
    fetch,
    WebSocket: options.sockets.WebSocket,
    provider: simProvider(options.worker, options.assignmentId),
    live: options.live,
    userAgent: 'faust-simulate',
    // A worker's page retries what the client retries by default; the bot's
    // own loop decides what happens after that.
  })
}

/**
 * Resolves with `promise`, or rejects after `ms` or once `signal` aborts (a
 * page's promise may never settle once its client is stopped). The timer
 * never keeps the process up.
 */
export async function bounded<TValue>(
  promise: Promise<TValue>,
  wait: { readonly ms: number; readonly what: string; readonly signal?: AbortSignal },
): Promise<TValue> {
  const { ms, what, signal } = wait
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${String(ms)} ms waiting for ${what}`))
    }, ms)
    timer.unref()
    onAbort = () => {
      reject(new Error(`the simulation ended while waiting for ${what}`))
    }
    if (signal?.aborted === true) onAbort()
    signal?.addEventListener('abort', onAbort)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
  }
}

/** What `bot.live` gets: the page's live updates and status, sending, waiting. */
export function liveContext(
  client: TaskClient,
  parts: { readonly worker: string; readonly random: Random; readonly data: unknown },
): BotLiveContext & { dispose(): void } {
  const updates: LiveData[] = []
  const listeners = new Set<() => void>()
  const changed = (): void => {
    for (const listener of listeners) listener()
  }
  const offUpdate = client.live.onLiveUpdate((update) => {
    updates.push(update)
    changed()
  })
  const offStatus = client.live.subscribe(changed)
  const view = (): BotLiveView => ({ updates, status: client.live.getSnapshot().agentStatus })
  return {
    worker: parts.worker,
    random: parts.random,
    data: parts.data,
    get status() {
      return client.live.getSnapshot().agentStatus
    },
    call: (target, args) => client.live.call(target, args),
    send: async (update) => {
      await client.live.sendLiveUpdate({ ...update })
    },
    waitFor: (until, timeoutMs) =>
      new Promise<boolean>((resolve) => {
        const check = (): void => {
          if (!until(view())) return
          finish(true)
        }
        const timer = setTimeout(() => {
          finish(false)
        }, timeoutMs)
        timer.unref()
        const finish = (value: boolean): void => {
          clearTimeout(timer)
          listeners.delete(check)
          resolve(value)
        }
        listeners.add(check)
        check()
      }),
    dispose: () => {
      offUpdate()
      offStatus()
      listeners.clear()
    },
  }
}
