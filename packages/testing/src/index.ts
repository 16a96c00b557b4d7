// Dev-only test kit: routers on port 0, test backends and agents, a fake clock.

export { FakeClock } from './fake-clock.js'
export { deferred, within } from './deferred.js'
export { fullPacket } from './full-packet.js'
export type { Deferred } from './deferred.js'
export { TestSocket } from './test-socket.js'
export type { AnyPacket, CloseInfo } from './test-socket.js'
export { TestBackend, TestAgent } from './test-backend.js'
export type { AgentAnswer, StoredAnswer } from './test-backend.js'
export { startTestRouter, RecordingLogger, FIXTURE_FILES } from './test-router.js'
export type { TestRouter } from './test-router.js'
