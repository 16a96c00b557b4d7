import { describe, expect, it } from 'vitest'
import { defineTask } from './define-task.js'

const minimal = { name: 'label', page: 'dist', data: [{ text: 'a' }] }

describe('defineTask listing', () => {
  it('defaults the title to the name, the description to task_description, a third of the duration', () => {
    const task = defineTask({
      ...minimal,
      assignmentDurationSeconds: 600,
      taskConfig: { task_description: ' Label short texts. ' },
    })
    expect(task.listing).toEqual({
      title: 'label',
      description: 'Label short texts.',
      keywords: [],
      estimatedMinutes: 4,
    })
  })

  it('falls back to the title when the task has no task_description, 10 minutes for 1800 s', () => {
    const task = defineTask({ ...minimal, listing: { title: 'Sentiment' } })
    expect(task.listing).toMatchObject({
      title: 'Sentiment',
      description: 'Sentiment',
      estimatedMinutes: 10,
    })
  })

  it('keeps what the task gives', () => {
    const listing = {
      title: 'T',
      description: 'D',
      keywords: ['a', 'b'],
      estimatedMinutes: 3,
    }
    expect(defineTask({ ...minimal, listing }).listing).toEqual(listing)
  })

  it.each([
    [{ title: '' }, 'listing.title'],
    [{ estimatedMinutes: 0 }, 'listing.estimatedMinutes'],
    [{ estimatedMinutes: 1.5 }, 'listing.estimatedMinutes'],
    [{ keywords: [''] }, 'listing.keywords'],
    [{ price: 1 }, 'listing'],
  ])('refuses %j', (listing, where) => {
    expect(() => defineTask({ ...minimal, listing: listing as never })).toThrow(where)
  })
})
