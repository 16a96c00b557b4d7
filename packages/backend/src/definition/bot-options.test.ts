import { describe, expect, it } from 'vitest'
import { defineTask, type TaskOptions } from './define-task.js'

const minimal: TaskOptions = { name: 'label-texts', page: 'dist', data: [{ text: 'a' }] }
const unit = () => ({ label: 'positive' })
const live = () => Promise.resolve({ rating: 5 })
const run = () => Promise.resolve()
const onboardingTask = { data: {}, validate: () => true }

describe('defineTask({ bot })', () => {
  it('keeps the bot, and leaves it undefined when not given', () => {
    const bot = { unit }
    expect(defineTask({ ...minimal, bot }).bot).toBe(bot)
    expect(defineTask(minimal).bot).toBeUndefined()
  })

  it('takes a live bot for a concurrent task, with onboarding answers', () => {
    const bot = { live, onboarding: () => ({ q0: 'yes' }) }
    const task = defineTask({
      ...minimal,
      taskType: 'concurrent',
      unitsPerAssignment: 2,
      run,
      onboarding: onboardingTask,
      bot,
    })
    expect(task.bot).toBe(bot)
  })

  it.each([
    [{ ...minimal, bot: {} }, 'bot.unit: the bot needs unit'],
    [{ ...minimal, bot: { unit, live } }, "bot.live: only for taskType 'concurrent'"],
    [{ ...minimal, taskType: 'concurrent' as const, run, bot: { unit } }, 'bot.live: a'],
    [
      { ...minimal, taskType: 'concurrent' as const, run, bot: { live, unit } },
      "bot.unit: a 'concurrent' task's bot uses live",
    ],
    [{ ...minimal, onboarding: onboardingTask, bot: { unit } }, 'so its bot needs onboarding'],
    [{ ...minimal, bot: { unit, onboarding: () => ({}) } }, 'the task has no onboarding'],
    [{ ...minimal, bot: { unit: 'positive' } }, 'bot.unit must be a function'],
    [{ ...minimal, bot: { unit, answer: unit } }, 'answer'],
  ])('refuses a bot that does not fit the task (%#)', (options, message) => {
    expect(() => defineTask(options as TaskOptions)).toThrow(
      expect.objectContaining({
        code: 'TASK_DEFINITION_INVALID',
        message: expect.stringContaining(message) as string,
      }),
    )
  })
})
