// In-memory stand-ins for what the page client takes from its environment:
// `fetch` and `WebSocket`.

export { fakeFetch } from './fake-fetch.js'
export type { FakeRequest } from './fake-fetch.js'
export { FakeSocket, fakeSockets } from './fake-socket.js'
export type { Packet } from './fake-socket.js'
export { routedFetch } from './routed-fetch.js'
export type { Routes, SeenRequest } from './routed-fetch.js'

// Local stand-ins for the crowd platforms (real HTTP servers on 127.0.0.1).
export * from './prolific/index.js'
export { startFakeMturk } from './mturk/fake-mturk.js'
export type {
  FakeMturk,
  FakeMturkFailure,
  FakeMturkOptions,
  FakeMturkRequest,
} from './mturk/fake-mturk.js'
export type { FakeMturkWorkers } from './mturk/fake-mturk-worker-side.js'
// A worker's page opened at a platform's URL, running the router's wrap script (for bots).
export { openProviderPage } from './provider-page.js'
export type { ProviderExit, ProviderPage } from './provider-page.js'
