import { describe, expect, it } from 'vitest'
import { createOperatorActions, type OperatorActions } from '@faust/backend'
import { AgentStatus } from '@faust/protocol'
import { reservedAgent, useTestStore } from '@faust/testing/store'
import { formatTally, interactiveReview, REVIEW_MENU } from './interactive-review.js'
import type { Prompter } from './line-prompter.js'

/** Output collected as text, and a prompter writing its questions there and answering from a list, then null (the end of input). */
function scripted(answers: readonly string[]): {
  prompter: Prompter
  output: { write: (chunk: string) => void }
  text: () => string
} {
  const queue = [...answers]
  let text = ''
  const output = { write: (chunk: string): void => void (text += chunk) }
  const prompter = {
    ask: (question: string) => {
      output.write(question)
      return Promise.resolve(queue.shift() ?? null)
    },
    close: () => undefined,
  }
  return { prompter, output, text: () => text }
}

describe('interactiveReview', () => {
  const { store } = useTestStore('memory')

  async function pendingUnit(): Promise<string> {
    const { agentId, unitId } = await reservedAgent(store)
    await store.agents.setStatus(agentId, AgentStatus.IN_TASK)
    await store.agents.setStatus(agentId, AgentStatus.COMPLETED)
    await store.submissions.store({ agentId, data: { label: 'cat' } })
    return unitId
  }

  it('shows an action that throws (no platform credentials) as failed and goes on', async () => {
    await pendingUnit()
    const real = createOperatorActions({ store, env: {}, actor: 'cli' })
    const actions: OperatorActions = {
      ...real,
      reviewWithCurrency: () => Promise.reject(new Error('PROLIFIC_API_TOKEN is not set')),
    }
    const io = scripted(['a'])
    const tally = await interactiveReview({ store, taskName: 't', actions, ...io })
    expect(io.text()).toContain(
      `${REVIEW_MENU}approve: FAILED: Error: PROLIFIC_API_TOKEN is not set\n`,
    )
    expect(formatTally(tally)).toBe(
      'review: 0 approved, 0 rejected, 0 soft-rejected, 0 bonuses, 0 blocked, 0 skipped, 1 failed; 1 still pending\n',
    )
  })

  it('cancels a soft rejection when its reason is never answered', async () => {
    const unitId = await pendingUnit()
    const io = scripted(['s'])
    const tally = await interactiveReview({
      store,
      taskName: 't',
      actions: createOperatorActions({ store, env: {}, actor: 'cli' }),
      ...io,
    })
    expect(tally).toMatchObject({ softRejected: 0, left: 1 })
    expect((await store.units.get(unitId))?.status).toBe('completed')
    expect(await store.audit.list()).toEqual([])
    // Asked for the reason, no answer: nothing done, the menu once more, then the end.
    expect(io.text()).toMatch(/reason \(optional, Enter for none\): \[a\]pprove.*\[q\]uit: \n$/)
    expect(io.text().split(REVIEW_MENU)).toHaveLength(3)
  })
})
