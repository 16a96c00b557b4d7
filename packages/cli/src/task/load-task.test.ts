import { describe, expect, it } from 'vitest'
import { defineTask } from '@faust/backend'
import { isTaskDefinition } from './load-task.js'

describe('isTaskDefinition', () => {
  it('accepts what defineTask returns, and not the options it was given', () => {
    const options = { name: 'label', page: 'dist', data: [{ text: 'a' }] }
    expect(isTaskDefinition(defineTask(options))).toBe(true)
    expect(isTaskDefinition(defineTask({ ...options, data: 'data.jsonl' }))).toBe(true)
    expect(isTaskDefinition(options)).toBe(false)
    const remote = defineTask({
      ...options,
      taskType: 'remote-procedure',
      remoteProcedures: { score: () => 1 },
    })
    expect(isTaskDefinition(remote)).toBe(true)
    expect(isTaskDefinition({ ...remote, taskType: 'live' })).toBe(false)
  })

  it.each([null, undefined, 42, 'task', [], () => undefined])('refuses %j', (value) => {
    expect(isTaskDefinition(value)).toBe(false)
  })
})
