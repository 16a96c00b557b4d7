import * as v from 'valibot'

/**
 * The shape of `task_config.json`: the blueprint's frontend arguments plus
 * `mephisto_task_version`. Only the keys the client reads are typed; the rest
 * pass through to the page as `taskConfig`.
 */
export const TaskConfig = v.looseObject({
  mephisto_task_version: v.optional(v.string()),
  block_mobile: v.optional(v.boolean()),
  task_title: v.optional(v.string()),
  task_description: v.optional(v.string()),
  frame_height: v.optional(v.number()),
})

export type TaskConfig = v.InferOutput<typeof TaskConfig>
