'use client'

// @faust/react/status-screen: the ready-made screens, a separate entry so that
// pages that draw their own do not download them.
export { TaskStatusScreen } from './task-status-screen.js'
export type { TaskStatusScreenProps } from './task-status-screen.js'
