import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Latency buckets in seconds: a relayed packet takes well under a millisecond, a held request up to the backend's answer. */
const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]
/** Store commits and registrations: a millisecond or so, seconds on a slow disk. */
const WORK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
/** Heartbeat gaps: a page beats every 6 s; the router's timeout is 15 s by default. */
const GAP_BUCKETS = [1, 3, 5, 6, 7, 8, 10, 15, 20, 30, 60]

/**
 * The metric families of one Faust process, in their own registry (never
 * prom-client's global one), with Node's default metrics (event-loop lag
 * among them, `nodejs_eventloop_lag_*`). Names and labels are documented in
 * docs/operations.md; a test keeps the Grafana dashboard in step with them.
 */
export function createFaustMetrics(): FaustMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const backlogSamplers: (() => void)[] = []
  return {
    registry,
    backlogSamplers,
    ...routerFamilies(registers),
    ...runFamilies(registers, backlogSamplers),
  }
}

type Registers = Registry[]

/** What the router does: relay latency, agents' sockets and heartbeats, the backend's link. */
function routerFamilies(registers: Registers): RouterFamilies {
  return {
    relayLatency: new Histogram({
      name: 'faust_relay_latency_seconds',
      help: 'Time a packet or REST request spends in the router, from arrival to departure (held REST requests include the backend answering)',
      labelNames: ['kind', 'direction'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    agentConnects: new Counter({
      name: 'faust_agent_connects_total',
      help: 'Worker sockets bound to an agent; reconnect=true when the agent had a socket before',
      labelNames: ['reconnect'],
      registers,
    }),
    agentReconnects: new Counter({
      name: 'faust_agent_reconnects_total',
      help: 'Worker sockets bound to an agent that had a socket before',
      registers,
    }),
    agentDisconnects: new Counter({
      name: 'faust_agent_disconnects_total',
      help: 'Worker sockets that stopped speaking for their agent, by reason (closed, replaced, heartbeat_timeout)',
      labelNames: ['reason'],
      registers,
    }),
    heartbeats: new Counter({
      name: 'faust_heartbeats_total',
      help: "Heartbeats and alives received from workers' pages",
      registers,
    }),
    heartbeatsMissed: new Counter({
      name: 'faust_heartbeats_missed_total',
      help: "Heartbeats that came late: the gap since the agent's previous one exceeded half the router's heartbeat timeout",
      registers,
    }),
    heartbeatGap: new Histogram({
      name: 'faust_heartbeat_gap_seconds',
      help: "Time between an agent's consecutive heartbeats",
      buckets: GAP_BUCKETS,
      registers,
    }),
    backendConnected: new Gauge({
      name: 'faust_router_backend_connected',
      help: '1 while a backend is attached to the router, else 0',
      registers,
    }),
    backendConnects: new Counter({
      name: 'faust_router_backend_connects_total',
      help: 'Backend sockets attached to the router',
      registers,
    }),
  }
}

/** What the backend does: registrations, submissions, store commits, backlogs. */
function runFamilies(registers: Registers, samplers: readonly (() => void)[]): RunFamilies {
  return {
    registrations: new Counter({
      name: 'faust_registrations_total',
      help: 'Registrations answered, by step (register, onboarding), outcome (granted, refused) and refusal reason',
      labelNames: ['step', 'outcome', 'reason'],
      registers,
    }),
    registrationDuration: new Histogram({
      name: 'faust_registration_duration_seconds',
      help: 'Time the backend took to answer a registration',
      labelNames: ['step'],
      buckets: WORK_BUCKETS,
      registers,
    }),
    submissions: new Counter({
      name: 'faust_submissions_total',
      help: "Units' submissions handled, by outcome (stored, refused) and refusal code",
      labelNames: ['outcome', 'code'],
      registers,
    }),
    submissionDuration: new Histogram({
      name: 'faust_submission_duration_seconds',
      help: 'Time the backend took to store a submission (synced to disk)',
      buckets: WORK_BUCKETS,
      registers,
    }),
    storeCommit: new Histogram({
      name: 'faust_store_commit_seconds',
      help: "Time of the store's commits, by kind (batch: a group commit; durable: a write synced to disk)",
      labelNames: ['kind'],
      buckets: WORK_BUCKETS,
      registers,
    }),
    backlog: new Gauge({
      name: 'faust_backlog',
      help: 'Packets waiting, by queue (backend_outbox, backend_handling; router_backend, router_pending_requests)',
      labelNames: ['queue'],
      registers,
      // Queues read at the scrape (the router's) are read here, before the family is written.
      collect() {
        for (const sample of samplers) sample()
      },
    }),
  }
}

/** What {@link createFaustMetrics} returns: the registry and each family. */
export interface FaustMetrics extends RouterFamilies, RunFamilies {
  readonly registry: Registry
  /** Called at each scrape before `faust_backlog` is written: each sets its queues' sizes. */
  readonly backlogSamplers: (() => void)[]
}

interface RouterFamilies {
  readonly relayLatency: Histogram<'kind' | 'direction'>
  readonly agentConnects: Counter<'reconnect'>
  readonly agentReconnects: Counter
  readonly agentDisconnects: Counter<'reason'>
  readonly heartbeats: Counter
  readonly heartbeatsMissed: Counter
  readonly heartbeatGap: Histogram
  readonly backendConnected: Gauge
  readonly backendConnects: Counter
}

interface RunFamilies {
  readonly registrations: Counter<'step' | 'outcome' | 'reason'>
  readonly registrationDuration: Histogram<'step'>
  readonly submissions: Counter<'outcome' | 'code'>
  readonly submissionDuration: Histogram
  readonly storeCommit: Histogram<'kind'>
  readonly backlog: Gauge<'queue'>
}
