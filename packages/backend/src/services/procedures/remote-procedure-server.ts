import { FINAL_AGENT_STATUSES, type TimerHandle } from '@faust/protocol'
import { parseSubjectId, type AgentRef } from '../../store/agent-ref.js'
import type { RemoteCallAnswer } from '../../store/remote-calls-repository.js'
import type { UnitInfo, WorkerInfo } from '../../definition/task-info.js'
import type { RemoteCall, RemoteProcedure } from '../../definition/remote-procedure.js'
import type { RunContext } from '../context/run-context.js'
import { RunError } from '../../util/backend-error.js'

/**
 * Why a call was answered with an error; sent as `error.code` next to the
 * message (the page's `ClientError.remoteCode`).
 */
export type RemoteCallErrorCode =
  /** No procedure has the called name. */
  | 'UNKNOWN_TARGET'
  /** `args` is not a JSON string of an object. */
  | 'BAD_ARGS'
  /** The procedure threw, or its result is not JSON. */
  | 'FAILED'
  /** The procedure did not answer in time. */
  | 'TIMEOUT'
  /** The agent already has the maximum of calls in flight. */
  | 'TOO_MANY_CALLS'
  /** The caller is not an agent working on this run (unknown, or final). */
  | 'NOT_ACTIVE'
  /** The run is ending. */
  | 'RUN_ENDED'

/**
 * The largest answer sent, in UTF-16 units of its JSON: far below the
 * router's backend frame limit (64 MiB), which a bigger frame would exceed and
 * cost the backend its connection. Larger results are answered with an error.
 */
export const MAX_RESPONSE_LENGTH = 4 * 1024 * 1024

/** What the server needs from the run. */
export interface RemoteProcedureServerOptions {
  readonly ctx: RunContext
  /** Sends a `client_bound_live_update` to the page of `subjectId`. */
  readonly send: (subjectId: string, data: Record<string, unknown>) => void
}

/** Who is calling: looked up once per agent (none of it changes). */
interface Caller {
  readonly ref: AgentRef
  readonly worker: WorkerInfo
  readonly unit: UnitInfo | null
  readonly onboarding: { readonly data: unknown } | null
}

/** A call being served. */
interface Running {
  readonly subjectId: string
  readonly requestId: string
  readonly controller: AbortController
  /** Settles the call once (answer, error, timeout or shutdown); later outcomes are dropped. */
  readonly settle: (answer: RemoteCallAnswer, code?: RemoteCallErrorCode) => void
  /** Whether the call has its answer already. */
  readonly isSettled: () => boolean
}

/** A call that passed every check. */
interface Admitted {
  readonly target: string
  readonly procedure: RemoteProcedure
  readonly args: Record<string, unknown>
}

/** An admitted call, stored as row `rowId`, about to run. */
interface StartedCall {
  readonly subjectId: string
  readonly requestId: string
  readonly rowId: number
  readonly admitted: Admitted
}

class CallError extends Error {
  readonly code: RemoteCallErrorCode

  constructor(code: RemoteCallErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/**
 * Serves the page's remote procedure calls (`mephisto_bound_live_update`
 * with `request_id`, `target`, `args`; docs/protocol.md §7.4) for agents and onboarding
 * agents of this run that are not final. Every call gets exactly one answer:
 * `{ handles, response }` with the result as JSON, or `{ handles, error:
 * { message, code } }` (the reference has no error path, docs/protocol.md W20). Calls of one
 * agent run concurrently, at most `remoteProcedureMaxInFlight` at a time,
 * each for at most `remoteProcedureTimeoutSeconds`. Calls and answers are
 * stored, so a reload gets them back as `previous_requests`.
 */
export class RemoteProcedureServer {
  readonly #ctx: RunContext
  readonly #send: RemoteProcedureServerOptions['send']
  readonly #callers = new Map<string, Promise<Caller | null>>()
  readonly #running = new Map<string, Set<Running>>()
  readonly #work = new Set<Promise<void>>()
  #closed = false

  constructor(options: RemoteProcedureServerOptions) {
    this.#ctx = options.ctx
    this.#send = options.send
  }

  /** Whether a live update is a remote procedure call (a `request_id` is what marks one). */
  static isCall(data: Readonly<Record<string, unknown>>): boolean {
    return typeof data['request_id'] === 'string'
  }

  /**
   * Admits or refuses a call. Resolves once it is admitted (and stored), so
   * the agent's packets stay in order (a call after `submit_unit` is
   * refused); the procedure itself runs on.
   */
  async receive(subjectId: string, data: Readonly<Record<string, unknown>>): Promise<void> {
    const requestId = String(data['request_id'])
    if (this.#closed) {
      this.#refuse(subjectId, requestId, new CallError('RUN_ENDED', 'the task run has ended'))
      return
    }
    try {
      await this.#take(subjectId, requestId, data)
    } catch (error) {
      // The store failed: the page still gets its one answer.
      this.#ctx.logger.error({ err: error, subjectId, requestId }, 'could not take a remote call')
      this.#refuse(
        subjectId,
        requestId,
        new CallError('FAILED', 'the call could not be recorded; please try again'),
      )
    }
  }

  async #take(
    subjectId: string,
    requestId: string,
    data: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    const { target, args } = data
    const { store, taskRunId } = this.#ctx
    const ref = parseSubjectId(subjectId)
    const record =
      ref.kind === 'agent'
        ? await store.agents.get(ref.id)
        : await store.onboardingAgents.get(ref.id)
    if (record?.taskRunId !== taskRunId) {
      this.#refuse(
        subjectId,
        requestId,
        new CallError('NOT_ACTIVE', 'this agent is not working on this task'),
      )
      return
    }
    const admitted = FINAL_AGENT_STATUSES.has(record.status)
      ? new CallError('NOT_ACTIVE', `the task has ended for this agent (status: ${record.status})`)
      : this.#admit(subjectId, target, args)
    const rowId = await store.remoteCalls.add({
      taskRunId,
      agent: ref,
      requestId,
      target: typeof target === 'string' ? target : String(JSON.stringify(target)),
      argsJson: typeof args === 'string' ? args : (JSON.stringify(args) ?? 'null'),
    })
    if (admitted instanceof CallError) {
      await store.remoteCalls.answer(rowId, { errorMessage: admitted.message })
      this.#refuse(subjectId, requestId, admitted)
      return
    }
    this.#start({ subjectId, requestId, rowId, admitted })
  }

  /**
   * Ends every call in flight with a `RUN_ENDED` answer (their signals are
   * aborted) and waits until their answers are stored; later calls are
   * refused without touching the store.
   */
  async close(): Promise<void> {
    this.#closed = true
    for (const calls of this.#running.values()) {
      for (const call of calls) {
        call.controller.abort(new RunError('RUN_ENDED', 'the task run has ended'))
        call.settle({ errorMessage: 'the task run has ended' }, 'RUN_ENDED')
      }
    }
    while (this.#work.size > 0) await Promise.allSettled([...this.#work])
  }

  /**
   * The agent's unit ended: its cached caller is dropped (calls still in
   * flight finish and drop their own entries). Later calls are refused by
   * the status check and look nothing up.
   */
  release(subjectId: string): void {
    this.#callers.delete(subjectId)
  }

  /** Sizes of the per-agent state, for tests and diagnostics. */
  stats(): { readonly callers: number; readonly agentsWithCalls: number } {
    return { callers: this.#callers.size, agentsWithCalls: this.#running.size }
  }

  #forgetRunning(running: Running): void {
    const calls = this.#running.get(running.subjectId)
    if (calls === undefined) return
    calls.delete(running)
    // An agent with no call in flight holds no entry (else every caller ever would).
    if (calls.size === 0) this.#running.delete(running.subjectId)
  }

  /** Checks the target, the arguments and the agent's limit. */
  #admit(subjectId: string, target: unknown, args: unknown): Admitted | CallError {
    const procedures = this.#ctx.task.remoteProcedures
    if (typeof target !== 'string' || !Object.hasOwn(procedures, target)) {
      const known = Object.keys(procedures).join(', ')
      return new CallError(
        'UNKNOWN_TARGET',
        `there is no remote procedure named ${JSON.stringify(target) ?? 'undefined'} (known: ${known})`,
      )
    }
    if (typeof args !== 'string') {
      return new CallError('BAD_ARGS', 'args must be a JSON string of an object')
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(args)
    } catch {
      return new CallError('BAD_ARGS', 'args is not valid JSON')
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return new CallError('BAD_ARGS', 'args must be a JSON object')
    }
    const limit = this.#ctx.task.remoteProcedureMaxInFlight
    if ((this.#running.get(subjectId)?.size ?? 0) >= limit) {
      return new CallError(
        'TOO_MANY_CALLS',
        `too many calls in flight (at most ${String(limit)}); wait for an answer first`,
      )
    }
    const procedure = procedures[target]
    if (procedure === undefined) return new CallError('UNKNOWN_TARGET', `no procedure ${target}`)
    return { target, procedure, args: parsed as Record<string, unknown> }
  }

  /** Runs an admitted call to its one answer. */
  #start(start: StartedCall): void {
    const controller = new AbortController()
    const running = this.#open(start, controller)
    this.#serve(start, controller.signal).then(
      (result) => {
        const { answer, code } = this.#answerFor(start, result)
        running.settle(answer, code)
      },
      (error: unknown) => {
        const { admitted, requestId } = start
        if (error instanceof CallError) {
          running.settle({ errorMessage: error.message }, error.code)
          return
        }
        if (!running.isSettled()) {
          this.#ctx.logger.warn(
            { err: error, target: admitted.target, requestId },
            'remote procedure threw',
          )
        }
        const reason = error instanceof Error ? error.message : String(error)
        running.settle(
          { errorMessage: `the remote procedure '${admitted.target}' failed: ${reason}` },
          'FAILED',
        )
      },
    )
  }

  /**
   * Registers a call as running until its one answer: the first outcome
   * (answer, error, timeout or shutdown) is stored, then sent; the timeout
   * aborts the procedure's signal.
   */
  #open(start: StartedCall, controller: AbortController): Running {
    const { subjectId, requestId, rowId } = start
    const { clock, store, logger } = this.#ctx
    const timeoutSeconds = this.#ctx.task.remoteProcedureTimeoutSeconds
    let timer: TimerHandle | undefined
    let settled = false
    let finished!: () => void
    const done = new Promise<void>((resolve) => (finished = resolve))
    const running: Running = {
      subjectId,
      requestId,
      controller,
      isSettled: () => settled,
      settle: (answer, code) => {
        if (settled) return
        settled = true
        if (timer !== undefined) clock.clearTimeout(timer)
        this.#forgetRunning(running)
        // Stored before it is sent: a reload right after the answer sees it.
        const stored = store.remoteCalls.answer(rowId, answer).catch((error: unknown) => {
          logger.error({ err: error, subjectId, requestId }, 'could not store a call answer')
        })
        void stored.then(() => {
          if (answer.responseJson !== undefined) {
            this.#send(subjectId, { handles: requestId, response: answer.responseJson })
          } else {
            this.#refuse(subjectId, requestId, new CallError(code ?? 'FAILED', answer.errorMessage))
          }
          finished()
        })
      },
    }
    let calls = this.#running.get(subjectId)
    if (calls === undefined) this.#running.set(subjectId, (calls = new Set()))
    calls.add(running)
    this.#track(done)

    timer = clock.setTimeout(() => {
      timer = undefined
      const message = `the remote procedure '${start.admitted.target}' did not answer within ${String(timeoutSeconds)} s`
      controller.abort(new RunError('PROCEDURE_TIMEOUT', message))
      running.settle({ errorMessage: message }, 'TIMEOUT')
    }, timeoutSeconds * 1000)
    return running
  }

  /** Calls the procedure with who is calling; a caller no longer found is `NOT_ACTIVE`. */
  async #serve(start: StartedCall, signal: AbortSignal): Promise<unknown> {
    const { subjectId, requestId, admitted } = start
    const caller = await this.#caller(subjectId)
    if (caller === null) throw new CallError('NOT_ACTIVE', 'this agent is not working on this task')
    const call: RemoteCall = {
      requestId,
      target: admitted.target,
      agentId: subjectId,
      worker: caller.worker,
      unit: caller.unit,
      onboarding: caller.onboarding,
      signal,
    }
    return admitted.procedure(admitted.args, call)
  }

  /** The answer to a procedure's result: its JSON, or an error if it is not JSON or too long. */
  #answerFor(
    start: StartedCall,
    result: unknown,
  ): { readonly answer: RemoteCallAnswer; readonly code?: RemoteCallErrorCode } {
    const { target } = start.admitted
    let json: string
    try {
      json = JSON.stringify(result) ?? 'null'
    } catch (error) {
      this.#ctx.logger.warn(
        { err: error, target, requestId: start.requestId },
        'remote procedure result is not JSON',
      )
      return {
        answer: {
          errorMessage: `the remote procedure '${target}' returned a value that is not JSON`,
        },
        code: 'FAILED',
      }
    }
    if (json.length > MAX_RESPONSE_LENGTH) {
      return {
        answer: {
          errorMessage: `the remote procedure '${target}' returned too much data (${String(json.length)} characters of JSON; at most ${String(MAX_RESPONSE_LENGTH)})`,
        },
        code: 'FAILED',
      }
    }
    return { answer: { responseJson: json } }
  }

  /** The caller's worker and unit (or onboarding), looked up once per agent. */
  #caller(subjectId: string): Promise<Caller | null> {
    let caller = this.#callers.get(subjectId)
    if (caller === undefined) {
      caller = this.#lookUp(subjectId)
      this.#callers.set(subjectId, caller)
      // A failed look-up is tried again on the next call.
      caller.catch(() => this.#callers.delete(subjectId))
    }
    return caller
  }

  async #lookUp(subjectId: string): Promise<Caller | null> {
    const { store } = this.#ctx
    const ref = parseSubjectId(subjectId)
    const workerInfo = async (workerId: string): Promise<WorkerInfo | null> => {
      const worker = await store.workers.get(workerId)
      return worker === null
        ? null
        : { id: worker.id, name: worker.workerName, providerType: worker.providerType }
    }
    if (ref.kind === 'onboarding') {
      const record = await store.onboardingAgents.get(ref.id)
      if (record === null) return null
      const worker = await workerInfo(record.workerId)
      return worker === null
        ? null
        : { ref, worker, unit: null, onboarding: { data: record.initData } }
    }
    const agent = await store.agents.get(ref.id)
    if (agent === null) return null
    const [worker, unit, assignment] = await Promise.all([
      workerInfo(agent.workerId),
      store.units.get(agent.unitId),
      store.assignments.get(agent.assignmentId),
    ])
    if (worker === null || unit === null) return null
    return {
      ref,
      worker,
      unit: {
        id: unit.id,
        assignmentId: unit.assignmentId,
        unitIndex: unit.unitIndex,
        data: assignment?.sharedData,
      },
      onboarding: null,
    }
  }

  /** The error answer: the message for the worker, the code for the page's logic. */
  #refuse(subjectId: string, requestId: string, error: CallError): void {
    this.#send(subjectId, {
      handles: requestId,
      error: { message: error.message, code: error.code },
    })
  }

  #track(promise: Promise<void>): void {
    this.#work.add(promise)
    void promise.finally(() => this.#work.delete(promise))
  }
}
