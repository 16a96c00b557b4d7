// A task author's harness (issue 10): run your task as `faust run` would, on
// a router at 127.0.0.1:0 with a throwaway store, and drive it with bots that
// are `@faust/client` pages in Node. See docs/backend.md, "Testing your task".

export { startTask } from './start-task.js'
export type { StartTaskOptions, TaskHarness } from './start-task.js'
export { botProvider } from './task-bot.js'
export type { BotAccepted, BotOptions, BotRefused, BotRegistration, TaskBot } from './task-bot.js'
export type { TaskResult, TaskResultFile } from './task-results.js'
export { EventLogger } from '../backend/event-logger.js'
export type { LogLine } from '../backend/event-logger.js'
