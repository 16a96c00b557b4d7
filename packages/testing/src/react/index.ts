// Router answers for the React hooks' tests.

export { TASK_CONFIG, agentDetails } from './page-answers.js'
