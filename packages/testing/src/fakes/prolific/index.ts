// A faithful local Prolific for tests (docs/providers.md, "Prolific").

export { startFakeProlific } from './fake-prolific.js'
export type {
  FakeProlific,
  FakeProlificOptions,
  FakeProlificFailure,
  FakeProlificRequest,
  FakeProlificPlace,
  FakeProlificParticipants,
} from './fake-prolific.js'
export type {
  FakeStudy,
  FakeSubmission,
  FakeBonus,
  FakeGroup,
  FakeMessage,
} from './fake-prolific-state.js'
