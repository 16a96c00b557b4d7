import * as v from 'valibot'

// What a crowd platform shows workers before they start: the Prolific study's
// or MTurk HIT type's title, description and keywords, and the time the task
// is said to take. The mock provider ignores it.

/** `defineTask`'s `listing`: every field optional. */
export interface TaskListingOptions {
  /** @default the task's name */
  readonly title?: string | undefined
  /** @default `taskConfig.task_description` if it is text, else the title */
  readonly description?: string | undefined
  /** MTurk's search keywords (Prolific has none). @default [] */
  readonly keywords?: readonly string[] | undefined
  /** The time a worker should expect to spend. @default a third of `assignmentDurationSeconds`, in whole minutes, rounded up */
  readonly estimatedMinutes?: number | undefined
}

/** The listing with every default applied. */
export interface TaskListing {
  readonly title: string
  readonly description: string
  readonly keywords: readonly string[]
  readonly estimatedMinutes: number
}

const text = v.pipe(v.string(), v.trim(), v.minLength(1))

export const TaskListingSchema = v.strictObject({
  title: v.optional(v.pipe(text, v.maxLength(200))),
  description: v.optional(text),
  keywords: v.optional(v.array(v.pipe(text, v.maxLength(100)))),
  estimatedMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
})

/** The listing of a task: its own fields, the defaults for the rest. */
export function taskListingFor(task: {
  readonly name: string
  readonly listing?: TaskListingOptions | undefined
  readonly taskConfig: Readonly<Record<string, unknown>>
  readonly assignmentDurationSeconds: number
}): TaskListing {
  const listing = task.listing ?? {}
  const title = listing.title?.trim() ?? task.name
  const configured = task.taskConfig['task_description']
  const description =
    listing.description?.trim() ??
    (typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : title)
  return Object.freeze({
    title,
    description,
    keywords: Object.freeze((listing.keywords ?? []).map((keyword) => keyword.trim())),
    // A worker is given the whole duration; the estimate they are shown is a third of it.
    estimatedMinutes:
      listing.estimatedMinutes ?? Math.max(1, Math.ceil(task.assignmentDurationSeconds / 60 / 3)),
  })
}
