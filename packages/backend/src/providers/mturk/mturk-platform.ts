import {
  GetAccountBalanceCommand,
  MTurkClient,
  type MTurkClientConfig,
} from '@aws-sdk/client-mturk'
import type { Clock, ProviderData } from '@faust/protocol'
import { silentLogger, systemClock } from '@faust/protocol'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import type { BackendLogger } from '../../util/logger.js'
import type { ProviderAttempt, ProviderIdentity, ProviderPlatform } from '../provider-platform.js'
import { call } from './mturk-call.js'
import { MturkListings } from './mturk-listings.js'
import { dollarsToCents } from './mturk-money.js'
import { QualificationTypes } from './mturk-qualifications.js'
import { MturkReviews } from './mturk-reviews.js'
import { MturkWorkerActions } from './mturk-worker-actions.js'
import { mturkWrapScript } from './mturk-wrap-script.js'

export const MTURK_PRODUCTION_ENDPOINT = 'https://mturk-requester.us-east-1.amazonaws.com'
export const MTURK_SANDBOX_ENDPOINT = 'https://mturk-requester-sandbox.us-east-1.amazonaws.com'
const PREVIEW_ASSIGNMENT_ID = 'ASSIGNMENT_ID_NOT_AVAILABLE'
// A HIT left assignable longer than a week is replaced by setOpenPlaces (it counts live HITs only).
const DEFAULT_LIFETIME_SECONDS = 7 * 24 * 3600
// MTurk's default: submitted work not reviewed in 3 days is approved (and paid) anyway.
const DEFAULT_AUTO_APPROVAL_SECONDS = 3 * 24 * 3600

export interface MturkPlatformOptions {
  readonly sandbox: boolean
  /** The requester API endpoint; defaults to the sandbox or production one. */
  readonly endpoint?: string | undefined
  /** Signing region (MTurk lives in us-east-1 only). */
  readonly region?: string | undefined
  /** Omitted: the SDK's standard chain (environment, shared files, SSO, instance roles). */
  readonly credentials?: MTurkClientConfig['credentials']
  readonly clock?: Clock | undefined
  readonly logger?: BackendLogger | undefined
  /** Tries per call, the first included (the SDK's `maxAttempts`, default 3). */
  readonly maxAttempts?: number | undefined
  /** Overrides the SDK's jittered exponential backoff (ms before retry `attempt`); tests pass `() => 0`. */
  readonly retryBackoffMs?: ((attempt: number) => number) | undefined
  /** Per-request socket timeout in ms (default 30 000); a timeout is retried like a 5xx. */
  readonly requestTimeoutMs?: number | undefined
  readonly lifetimeSeconds?: number | undefined
  readonly autoApprovalDelaySeconds?: number | undefined
}

/** The MTurk platform, with what MTurk offers beyond {@link ProviderPlatform}. */
export interface MturkPlatform extends ProviderPlatform {
  readonly type: 'mturk'
  cleanUpOrphans(knownListingIds: readonly string[]): Promise<number>
  getAttempt(attempt: ProviderIdentity): Promise<ProviderAttempt | null>
  message(workerId: string, subject: string, body: string): Promise<void>
  /** The requester's available balance in cents (GetAccountBalance). */
  accountBalanceCents(): Promise<number>
}

function clientFor(options: MturkPlatformOptions): MTurkClient {
  // SDK releases from late 2026 print a NodeVersionSupportWarning on Node 20
  // at the first client (future releases will need Node 22). Faust supports
  // Node 20 and pins a release that runs on it, so the notice would only
  // clutter `faust run`; the SDK's own switch turns it off unless set.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'
  const maxAttempts = options.maxAttempts ?? 3
  const config: MTurkClientConfig = {
    region: options.region ?? 'us-east-1',
    endpoint:
      options.endpoint ?? (options.sandbox ? MTURK_SANDBOX_ENDPOINT : MTURK_PRODUCTION_ENDPOINT),
    maxAttempts,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      connectionTimeout: 10_000,
    },
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.retryBackoffMs === undefined
      ? {}
      : { retryStrategy: new ConfiguredRetryStrategy(maxAttempts, options.retryBackoffMs) }),
  }
  return new MTurkClient(config)
}

function stringField(data: ProviderData, key: string): string | null {
  const value = (data as Record<string, unknown>)[key]
  return typeof value === 'string' && value !== '' ? value : null
}

/** The MTurk ids in a registration's provider data (wrap script's getAgentRegistration). */
export function identifyMturk(providerData: ProviderData): ProviderIdentity | null {
  const workerId = stringField(providerData, 'worker_name')
  const attemptId = stringField(providerData, 'assignment_id')
  const placeId = stringField(providerData, 'hit_id')
  if (
    workerId === null ||
    attemptId === null ||
    placeId === null ||
    attemptId === PREVIEW_ASSIGNMENT_ID
  ) {
    return null
  }
  return { workerId, attemptId, placeId }
}

/** The name a worker is stored under: the raw WorkerId, `_sandbox` appended in the sandbox (as Mephisto). */
export function mturkWorkerName(workerId: string, sandbox: boolean): string {
  return sandbox ? `${workerId}_sandbox` : workerId
}

/** Amazon Mechanical Turk through @aws-sdk/client-mturk. docs/providers.md describes the mapping. */
export function createMturkPlatform(options: MturkPlatformOptions): MturkPlatform {
  const client = clientFor(options)
  const qualifications = new QualificationTypes(client)
  const listings = new MturkListings({
    client,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    qualifications,
    sandbox: options.sandbox,
    lifetimeSeconds: options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS,
    autoApprovalDelaySeconds: options.autoApprovalDelaySeconds ?? DEFAULT_AUTO_APPROVAL_SECONDS,
  })
  const reviews = new MturkReviews(client)
  const workers = new MturkWorkerActions(client, qualifications)
  return {
    type: 'mturk',
    sandbox: options.sandbox,
    currency: 'USD',
    // MTurk's commission: 20 % of rewards and bonuses (40 % for HITs with 10
    // or more assignments, which Faust never makes).
    fees: { rewardRate: 0.2, bonusRate: 0.2 },
    wrapCrowdSourceScript: () => mturkWrapScript('mturk'),
    identify: identifyMturk,
    publish: (request, previous) => listings.publish(request, previous),
    setOpenPlaces: (listing, open) => listings.setOpenPlaces(listing, open),
    close: (listing) => listings.close(listing),
    cleanUpOrphans: (known) => listings.cleanUpOrphans(known),
    listAttempts: (listing, known) => listings.listAttempts(listing, known),
    getAttempt: (attempt) => reviews.getAttempt(attempt),
    approve: (attempt) => reviews.approve(attempt),
    reject: (attempt, request) => reviews.reject(attempt, request),
    bonus: (attempt, request) => reviews.bonus(attempt, request),
    setQualification: (workerId, name, value) => workers.setQualification(workerId, name, value),
    block: (workerId, reason) => workers.block(workerId, reason),
    unblock: (workerId) => workers.unblock(workerId),
    message: (workerId, subject, body) => workers.message(workerId, subject, body),
    accountBalanceCents: async () => {
      const command = new GetAccountBalanceCommand({})
      const balance = await call('GetAccountBalance', () => client.send(command))
      return dollarsToCents(balance.AvailableBalance ?? '')
    },
  }
}

/** The environment variables {@link mturkPlatformFromEnvironment} reads. */
export interface MturkEnvironment {
  readonly AWS_ENDPOINT_URL_MTURK?: string | undefined
  readonly AWS_ENDPOINT_URL?: string | undefined
  readonly AWS_ACCESS_KEY_ID?: string | undefined
  readonly AWS_SECRET_ACCESS_KEY?: string | undefined
  readonly AWS_SESSION_TOKEN?: string | undefined
}

/**
 * The platform the CLI uses. The endpoint comes from AWS_ENDPOINT_URL_MTURK
 * (then AWS_ENDPOINT_URL), the variables the SDK itself reads, so a sandbox
 * run can be pointed at a local fake too; keys from AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY when both are set, else the SDK's standard chain.
 */
export function mturkPlatformFromEnvironment(
  env: MturkEnvironment,
  options: Omit<MturkPlatformOptions, 'endpoint' | 'credentials'>,
): MturkPlatform {
  const endpoint = env.AWS_ENDPOINT_URL_MTURK ?? env.AWS_ENDPOINT_URL
  const keyId = env.AWS_ACCESS_KEY_ID
  const secret = env.AWS_SECRET_ACCESS_KEY
  const credentials =
    keyId !== undefined && keyId !== '' && secret !== undefined && secret !== ''
      ? {
          accessKeyId: keyId,
          secretAccessKey: secret,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined
  return createMturkPlatform({
    ...options,
    endpoint: endpoint === '' ? undefined : endpoint,
    credentials,
  })
}
