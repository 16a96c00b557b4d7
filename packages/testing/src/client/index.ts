// A page client (`createTaskClient`) wired to a fake clock, fetch and
// WebSocket, for the client package's tests.

export { TASK_CONFIG, agentDetails, register, settle, setup } from './client-harness.js'
export type { Harness, SetupOptions } from './client-harness.js'
