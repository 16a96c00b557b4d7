import { describe, expect, it } from 'vitest'
import { BackendErrorCode, TaskDefinitionError } from '../util/backend-error.js'
import { defineTask, type TaskOptions } from './define-task.js'

const minimal: TaskOptions = { name: 'label-texts', page: 'dist', data: [{ text: 'a' }] }

describe('defineTask', () => {
  it('applies the defaults', () => {
    const task = defineTask(minimal)
    expect(task).toMatchObject({
      name: 'label-texts',
      taskType: 'static',
      unitsPerAssignment: 1,
      pay: 0,
      qualifications: [],
      maximumUnitsPerWorker: 0,
      allowedConcurrent: 0,
      maxConcurrentUnits: 0,
      assignmentDurationSeconds: 1800,
      blockQualification: 'blocked',
      onboarding: undefined,
    })
    expect(Object.isFrozen(task)).toBe(true)
  })

  it('takes a concurrent task with its run function and live defaults', () => {
    const run = () => Promise.resolve()
    const task = defineTask({ ...minimal, taskType: 'concurrent', unitsPerAssignment: 2, run })
    expect(task).toMatchObject({
      taskType: 'concurrent',
      unitsPerAssignment: 2,
      live: { run, waitingRoomSeconds: 600, submissionTimeoutSeconds: 600 },
    })
    expect(defineTask(minimal).live).toBeUndefined()
  })

  it('refuses screening or golds on a concurrent task', () => {
    const run = () => Promise.resolve()
    expect(() =>
      defineTask({
        ...minimal,
        taskType: 'concurrent',
        unitsPerAssignment: 2,
        run,
        allowedConcurrent: 1,
        screening: { data: [{ text: 'x' }], validate: () => true, maxUnits: 2 },
      }),
    ).toThrow(/screening and golds are for 'static' and 'remote-procedure' tasks/)
  })

  it('refuses a concurrent task without run, and live options on a static task', () => {
    expect(() => defineTask({ ...minimal, taskType: 'concurrent' })).toThrow(
      /run: a concurrent task needs a run function/,
    )
    expect(() => defineTask({ ...minimal, waitingRoomSeconds: 30 })).toThrow(
      /waitingRoomSeconds: only for taskType 'concurrent'/,
    )
    expect(() =>
      defineTask({
        ...minimal,
        taskType: 'concurrent',
        run: () => Promise.resolve(),
        waitingRoomSeconds: 0,
      }),
    ).toThrow(/waitingRoomSeconds/)
    expect(() =>
      defineTask({
        ...minimal,
        taskType: 'concurrent',
        run: () => Promise.resolve(),
        unitsPerAssignment: 3,
        maxConcurrentUnits: 2,
      }),
    ).toThrow(/maxConcurrentUnits: a concurrent task needs at least unitsPerAssignment \(3\)/)
  })

  it('keeps remote procedures with their limits, for either task type', () => {
    const score = (): number => 1
    expect(defineTask({ ...minimal, remoteProcedures: { score } })).toMatchObject({
      taskType: 'static',
      remoteProcedures: { score },
      remoteProcedureTimeoutSeconds: 25,
      remoteProcedureMaxInFlight: 16,
    })
    const task = defineTask({
      ...minimal,
      taskType: 'remote-procedure',
      remoteProcedures: { score },
      remoteProcedureTimeoutSeconds: 2,
      remoteProcedureMaxInFlight: 3,
    })
    expect(task).toMatchObject({
      taskType: 'remote-procedure',
      remoteProcedureTimeoutSeconds: 2,
      remoteProcedureMaxInFlight: 3,
    })
    expect(defineTask(minimal).remoteProcedures).toEqual({})
  })

  it('names the onboarding qualification after the task by default', () => {
    const task = defineTask({ ...minimal, onboarding: { data: {}, validate: () => true } })
    expect(task.onboarding?.qualificationName).toBe('label-texts-onboarding')
  })

  it.each([
    [{ ...minimal, name: '' }, /^defineTask: name: /],
    [{ ...minimal, name: 'has space' }, /^defineTask: name: use letters/],
    [{ ...minimal, page: 3 }, /^defineTask: page: /],
    [{ ...minimal, data: 'data.txt' }, /^defineTask: data: /],
    [{ ...minimal, data: [] }, /^defineTask: data: the task has no data/],
    [{ ...minimal, unitsPerAssignment: 0 }, /^defineTask: unitsPerAssignment: /],
    [{ ...minimal, unitsPerAssignment: 1.5 }, /^defineTask: unitsPerAssignment: /],
    [{ ...minimal, pay: -1 }, /^defineTask: pay: /],
    [{ ...minimal, maximumUnitsPerWorker: -2 }, /^defineTask: maximumUnitsPerWorker: /],
    [{ ...minimal, assignmentDurationSeconds: 0 }, /^defineTask: assignmentDurationSeconds: /],
    [
      { ...minimal, qualifications: [{ qualificationName: 'q', comparator: 'Bigger' }] },
      /^defineTask: qualifications\.0\.comparator: /,
    ],
    [{ ...minimal, workerCanDoUnit: 'yes' }, /^defineTask: workerCanDoUnit: /],
    [{ ...minimal, onboarding: { data: {} } }, /^defineTask: onboarding\.validate: /],
    [
      { ...minimal, hooks: { onUnitSubmited: () => undefined } },
      /^defineTask: hooks\.onUnitSubmited: /,
    ],
    [{ ...minimal, colour: 'red' }, /^defineTask: colour: /],
    [{ ...minimal, taskType: 'live' }, /^defineTask: taskType: /],
    [{ ...minimal, remoteProcedures: { score: 'fast' } }, /^defineTask: remoteProcedures\.score: /],
    [
      { ...minimal, remoteProcedures: { score: () => 1 }, remoteProcedureTimeoutSeconds: 0 },
      /^defineTask: remoteProcedureTimeoutSeconds: /,
    ],
    [{ ...minimal, remoteProcedureMaxInFlight: 0 }, /^defineTask: remoteProcedureMaxInFlight: /],
    [
      { ...minimal, taskType: 'remote-procedure' },
      /^defineTask: remoteProcedures: a 'remote-procedure' task needs at least one procedure/,
    ],
  ])('rejects %j with a TypeError naming the option', (options, message) => {
    expect(() => defineTask(options as unknown as TaskOptions)).toThrow(TypeError)
    expect(() => defineTask(options as unknown as TaskOptions)).toThrow(message)
  })

  it('rejects with a coded TaskDefinitionError', () => {
    const thrown = catchError(() => defineTask({ ...minimal, taskType: 'concurrent' }))
    expect(thrown).toBeInstanceOf(TaskDefinitionError)
    expect(thrown).toMatchObject({ code: BackendErrorCode.TASK_DEFINITION_INVALID })
  })
})

function catchError(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

describe('defineTask: the worker language', () => {
  it("passes locale and messages to the page's task config, over taskConfig's own keys", () => {
    const task = defineTask({
      ...minimal,
      taskConfig: { task_title: 'Etiquetas' },
      locale: 'es-MX',
      messages: { es: { 'screen.submitted.title': '¡Listo!' } },
    })
    expect(task.taskConfig).toEqual({
      task_title: 'Etiquetas',
      locale: 'es-MX',
      messages: { es: { 'screen.submitted.title': '¡Listo!' } },
    })
    expect(defineTask(minimal).taskConfig).toEqual({})
  })

  it('refuses a locale that is no language tag and a message that is no string', () => {
    expect(() => defineTask({ ...minimal, locale: 'spanish please' })).toThrow(/locale/)
    expect(() =>
      defineTask({ ...minimal, messages: { es: { a: 1 as unknown as string } } }),
    ).toThrow(/messages/)
    expect(() => defineTask({ ...minimal, messages: { '../x': {} } })).toThrow(/messages/)
  })
})
