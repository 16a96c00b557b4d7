// The page's flow, as `mephisto-task` 2.0.4 runs it (protocol §4.1, §4.4, §8.2):
// task config → (preview: stop) → request_agent → onboarding quiz and
// submit_onboarding when the agent is an onboarding agent → the task →
// submit_task → the provider's own submission.
import './style.css'
import {
  getTaskConfig,
  handleSubmitToProvider,
  isOnboardingAgent,
  isPreview,
  mobileBlockReason,
  requestAgent,
  submitOnboarding,
  submitTask,
  type AgentDetails,
} from './mephisto-rest.js'
import {
  showBlocked,
  showFatalError,
  showHeader,
  showLoading,
  showOnboarding,
  showPreview,
  showTask,
  showThanks,
  type TaskAnswer,
} from './views.js'

/** What a refusal without a reason shows (mephisto-task's generic explanation). */
const UNKNOWN_REFUSAL = 'Sorry, you are not able to work on this task. (code: null_agent_id)'

async function start(): Promise<void> {
  showLoading('Loading the task…')
  const config = await getTaskConfig()
  showHeader(config)
  if (isPreview()) {
    showPreview()
    return
  }
  const mobile = mobileBlockReason(config)
  if (mobile !== null) {
    showBlocked(mobile)
    return
  }
  await register()
}

async function register(): Promise<void> {
  showLoading('Finding a text for you…')
  afterRegistration(await requestAgent())
}

/** `afterAgentRegistration`: blocked, onboarding, or the real task. */
function afterRegistration(details: AgentDetails): void {
  const { agentId } = details
  if (agentId === null) {
    showBlocked(details.failureReason ?? UNKNOWN_REFUSAL)
  } else if (isOnboardingAgent(agentId)) {
    showOnboarding(details.initTaskData, async (answers) => {
      // The answer is again agent details: the real agent, or a refusal.
      afterRegistration(await submitOnboarding(agentId, answers))
    })
  } else {
    showTask(details.initTaskData, (answer) => submit(agentId, answer))
  }
}

async function submit(agentId: string, answer: TaskAnswer): Promise<void> {
  const finalData = { label: answer.label, comment: answer.comment }
  await submitTask(
    agentId,
    finalData,
    answer.screenshot === null ? {} : { screenshot: answer.screenshot },
  )
  showThanks()
  try {
    handleSubmitToProvider(finalData)
  } catch (error) {
    // The unit is submitted; the provider's own step is best effort.
    console.error('handleSubmitToProvider failed', error)
  }
}

/** Runs a step; a failure shows its message and a Retry button that runs it again. */
function run(step: () => Promise<void>): void {
  step().catch((error: unknown) => {
    showFatalError(error instanceof Error ? error.message : String(error), () => {
      run(step)
    })
  })
}

run(start)
