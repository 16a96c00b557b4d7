// Type tests of `defineTask` (run by `npm test` through Vitest's typecheck
// mode: these files are compiled by tsc, never executed). Imported by the
// package's name so they follow the public API wherever its files move.
import { describe, expectTypeOf, it } from 'vitest'
import {
  defineTask,
  type LiveAgent,
  type LiveAssignmentContext,
  type LiveTaskSettings,
  type OnboardingAnswers,
  type SubmittedUnit,
  type TaskDefinition,
  type TaskOptions,
  type TaskType,
  type UnitInfo,
  type WorkerInfo,
} from '@faust/backend'

interface Topic {
  readonly id: string
  readonly topic: string
}

const topics: readonly Topic[] = [{ id: 't1', topic: 'holidays' }]

describe('defineTask: what it returns', () => {
  it('infers the data item type from an inline array', () => {
    const task = defineTask({ name: 'inline', page: 'dist', data: [{ id: 'a', n: 1 }] })
    expectTypeOf(task).toEqualTypeOf<TaskDefinition<{ id: string; n: number }>>()
    expectTypeOf(task.data).toEqualTypeOf<readonly { id: string; n: number }[] | string>()
  })

  it('keeps a typed array’s item type', () => {
    expectTypeOf(defineTask({ name: 'typed', page: 'dist', data: topics })).toEqualTypeOf<
      TaskDefinition<Topic>
    >()
  })

  it('cannot infer an item type from a data file: unknown unless given', () => {
    expectTypeOf(defineTask({ name: 'file', page: 'dist', data: 'data.jsonl' })).toEqualTypeOf<
      TaskDefinition<unknown>
    >()
    expectTypeOf(
      defineTask<Topic>({ name: 'file', page: 'dist', data: 'data.jsonl' }),
    ).toEqualTypeOf<TaskDefinition<Topic>>()
  })

  it('widens the task type to the TaskType union, with every default applied', () => {
    const task = defineTask({
      name: 'rpc',
      taskType: 'remote-procedure',
      page: 'dist',
      data: topics,
    })
    expectTypeOf(task.taskType).toEqualTypeOf<TaskType>()
    expectTypeOf<TaskType>().toEqualTypeOf<'static' | 'remote-procedure' | 'concurrent'>()
    expectTypeOf(task.unitsPerAssignment).toEqualTypeOf<number>()
    expectTypeOf(task.pay).toEqualTypeOf<number>()
    expectTypeOf(task.blockQualification).toEqualTypeOf<string>()
    expectTypeOf(task.taskConfig).toEqualTypeOf<Readonly<Record<string, unknown>>>()
    expectTypeOf(task.live).toEqualTypeOf<LiveTaskSettings<Topic> | undefined>()
  })

  it('accepts its own options type', () => {
    const options: TaskOptions<Topic> = { name: 'o', page: 'dist', data: topics }
    expectTypeOf(defineTask(options)).toEqualTypeOf<TaskDefinition<Topic>>()
    expectTypeOf(defineTask).parameter(0).toEqualTypeOf<TaskOptions<unknown>>()
  })
})

describe('defineTask: the data item type in task code', () => {
  it('reaches a concurrent task’s run as the assignment’s data', () => {
    defineTask({
      name: 'chat',
      taskType: 'concurrent',
      unitsPerAssignment: 2,
      page: 'dist',
      data: topics,
      run: async (context) => {
        expectTypeOf(context).toEqualTypeOf<LiveAssignmentContext<Topic>>()
        expectTypeOf(context.assignment.data).toEqualTypeOf<Topic>()
        expectTypeOf(context.agents).toEqualTypeOf<readonly LiveAgent[]>()
        expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>()
        const [first] = context.agents
        if (first !== undefined) {
          expectTypeOf(first.receive()).resolves.toEqualTypeOf<Readonly<Record<string, unknown>>>()
          await first.observe({ text: context.assignment.data.topic })
        }
      },
    })
  })

  it('reaches run from an explicit type argument when the data is a file', () => {
    defineTask<Topic>({
      name: 'chat',
      taskType: 'concurrent',
      page: 'dist',
      data: 'data.jsonl',
      run: ({ assignment }) => {
        expectTypeOf(assignment.data.topic).toBeString()
        return Promise.resolve()
      },
    })
  })

  it('gives hooks, filters and onboarding the item as unknown (checked at run time)', () => {
    defineTask({
      name: 'hooks',
      page: 'dist',
      data: topics,
      workerCanDoUnit: (worker, unit) => {
        expectTypeOf(worker).toEqualTypeOf<WorkerInfo>()
        expectTypeOf(unit).toEqualTypeOf<UnitInfo>()
        expectTypeOf(unit.data).toBeUnknown()
        return true
      },
      onboarding: {
        data: { questions: [] },
        validate: (answers) => {
          expectTypeOf(answers).toEqualTypeOf<OnboardingAnswers>()
          expectTypeOf(answers.outputs).toBeUnknown()
          return Promise.resolve(true)
        },
      },
      hooks: {
        onUnitSubmitted: (event) => {
          expectTypeOf(event).toEqualTypeOf<SubmittedUnit>()
          expectTypeOf(event.unit.data).toBeUnknown()
          expectTypeOf(event.data).toBeUnknown()
          expectTypeOf(event.worker.id).toBeString()
        },
      },
    })
  })
})

describe('defineTask: options the types reject', () => {
  it('rejects a missing name, page or data', () => {
    // @ts-expect-error name is required
    defineTask({ page: 'dist', data: topics })
    // @ts-expect-error page is required
    defineTask({ name: 'n', data: topics })
    // @ts-expect-error data is required
    defineTask({ name: 'n', page: 'dist' })
  })

  it('rejects an unknown option and an unknown task type', () => {
    // @ts-expect-error not an option (a typo of unitsPerAssignment)
    defineTask({ name: 'n', page: 'dist', data: topics, unitsPerAssigment: 2 })
    // @ts-expect-error 'live' is not a TaskType
    defineTask({ name: 'n', taskType: 'live', page: 'dist', data: topics })
  })

  it('rejects data that is neither an array nor a file name, and wrong scalar types', () => {
    // @ts-expect-error data is an array or a path
    defineTask({ name: 'n', page: 'dist', data: 42 })
    // @ts-expect-error pay is a number
    defineTask({ name: 'n', page: 'dist', data: topics, pay: '0.5' })
    // @ts-expect-error taskConfig is an object
    defineTask({ name: 'n', page: 'dist', data: topics, taskConfig: 'title' })
  })

  it('rejects a run that is not async or reads fields the item lacks', () => {
    // @ts-expect-error run must return a promise
    defineTask({ name: 'n', taskType: 'concurrent', page: 'dist', data: topics, run: () => 1 })
    defineTask({
      name: 'n',
      taskType: 'concurrent',
      page: 'dist',
      data: topics,
      run: async ({ assignment }) => {
        // @ts-expect-error Topic has no `text`
        await Promise.resolve(assignment.data.text)
      },
    })
  })

  it('rejects onboarding without validate, and hooks with the wrong event', () => {
    // @ts-expect-error onboarding needs validate
    defineTask({ name: 'n', page: 'dist', data: topics, onboarding: { data: {} } })
    defineTask({
      name: 'n',
      page: 'dist',
      data: topics,
      hooks: {
        // @ts-expect-error the event is a SubmittedUnit, not a Topic
        onUnitSubmitted: (event: Topic) => {
          void event
        },
      },
    })
  })
})
