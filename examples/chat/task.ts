// The task `faust run examples/chat` loads: two workers, paired live, chat
// about a topic (one per assignment) until both click Done, then each rates
// the conversation and submits. A two-question quiz comes first.
import {
  defineTask,
  type BotLiveContext,
  type BotLiveView,
  type LiveAgent,
  type LiveAssignmentContext,
} from '@faust/backend'

/** Longest a worker may stay silent in the chat before timing out. */
const IDLE_SECONDS = 300
/** Longest message relayed; the rest is cut. */
const MAX_MESSAGE_LENGTH = 1000

/** The quiz, each text in every language the task offers; the page shows the one of its locale. */
const quiz = {
  instructions: {
    en: 'Before you are paired, answer two questions about how the chat works.',
    es: 'Antes de que le emparejemos, responda a dos preguntas sobre cómo funciona el chat.',
  },
  questions: [
    {
      text: { en: 'Who will you be chatting with?', es: '¿Con quién va a chatear?' },
      options: [
        { value: 'bot', label: { en: 'A bot', es: 'Con un bot' } },
        { value: 'person', label: { en: 'Another worker', es: 'Con otra persona trabajadora' } },
      ],
    },
    {
      text: { en: 'How does the chat end?', es: '¿Cuándo termina el chat?' },
      options: [
        { value: 'timer', label: { en: 'After ten minutes', es: 'A los diez minutos' } },
        {
          value: 'done',
          label: { en: 'When both of us click Done', es: 'Cuando los dos pulsamos Terminado' },
        },
      ],
    },
  ],
}

/** The page submits `{ q0: 'person', q1: 'done' }`. */
function passesQuiz(outputs: unknown): boolean {
  if (typeof outputs !== 'object' || outputs === null) return false
  const answers = outputs as Record<string, unknown>
  return answers['q0'] === 'person' && answers['q1'] === 'done'
}

/**
 * Relays each worker's messages to the other until both have clicked Done.
 * A worker who leaves or stays silent too long ends it: the runner tells the
 * other (`partner disconnect`), who may still submit.
 */
async function relay({ agents, assignment }: LiveAssignmentContext): Promise<void> {
  const topic = (assignment.data as { topic?: unknown } | null)?.topic
  for (const [index, agent] of agents.entries()) {
    await agent.observe({ task_data: { agent_display_name: `Worker ${String(index + 1)}`, topic } })
  }
  const finished = new Set<string>()
  const serve = async (agent: LiveAgent, partner: LiveAgent): Promise<void> => {
    while (!finished.has(agent.id)) {
      const update = await agent.receive({ timeoutSeconds: IDLE_SECONDS })
      if (update['done'] === true) {
        finished.add(agent.id)
        // `event` lets the page say it in the worker's language; `text` is for other pages.
        await partner.observe({
          sender: 'system',
          event: 'partner_done',
          text: 'Your partner clicked Done.',
        })
      } else if (typeof update['text'] === 'string' && update['text'].trim() !== '') {
        await partner.observe({
          sender: 'partner',
          text: update['text'].slice(0, MAX_MESSAGE_LENGTH),
        })
      }
    }
  }
  const [first, second] = agents
  if (first === undefined || second === undefined) throw new Error('a chat needs two workers')
  await Promise.all([serve(first, second), serve(second, first)])
}

/** The chat is over for a bot's page: `run` returned, or the partner left. */
function chatOver({ updates, status }: BotLiveView): boolean {
  if (status === 'partner disconnect') return true
  return updates.some((update) => {
    const data = update['task_data']
    return typeof data === 'object' && data !== null && 'task_done' in data
  })
}

/**
 * A simulated worker (`faust simulate`): passes the quiz, says hello, clicks
 * Done, and once the chat is over rates it as the page would submit.
 */
async function chatBot(ctx: BotLiveContext): Promise<unknown> {
  await ctx.send({ text: `Hello from ${ctx.worker}` })
  await ctx.send({ done: true })
  const over = await ctx.waitFor(chatOver, 20_000)
  const partnerLeft = !over || ctx.status === 'partner disconnect'
  return { rating: 1 + Math.floor(ctx.random() * 5), comment: '', partnerLeft }
}

export default defineTask({
  name: 'chat-pairs',
  taskType: 'concurrent',
  page: 'dist',
  data: 'data.jsonl',
  unitsPerAssignment: 2,
  waitingRoomSeconds: 300,
  submissionTimeoutSeconds: 300,
  // The worker's language: 'en' or 'es' ship (docs/client.md "Worker messages and languages").
  locale: 'en',
  taskConfig: {
    task_title: 'Chat with another worker',
    task_description:
      'You are paired with another worker to talk about a topic. Chat until you both click Done, ' +
      'then rate the conversation.',
  },
  onboarding: {
    data: quiz,
    validate: ({ outputs }) => passesQuiz(outputs),
  },
  run: relay,
  bot: { onboarding: () => ({ q0: 'person', q1: 'done' }), live: chatBot },
})
