import { silentLogger } from '@faust/protocol'
import type { Logger, ProviderData } from '@faust/protocol'
import { ProviderError } from '../../util/backend-error.js'
import type {
  ListingRecord,
  PlatformFees,
  ProviderAttempt,
  ProviderIdentity,
  ProviderPlatform,
  PublishRequest,
} from '../provider-platform.js'
import { ProlificBonuses } from './prolific-bonus.js'
import { ProlificClient, isRecord, type ProlificClientOptions } from './prolific-client.js'
import { BLOCK_GROUP_NAME, ProlificGroups, qualificationGroupName } from './prolific-groups.js'
import { FREED_STATUSES, ProlificStatusMapper, normaliseStatus } from './prolific-statuses.js'
import { PROLIFIC_COMPLETION_URL, prolificWrapScript } from './prolific-wrap-script.js'

// Faust's run as one Prolific study (docs/providers.md, "Prolific"). Endpoints:
// studies https://docs.prolific.com/api-reference/studies (create, retrieve,
// update, `POST /api/v1/studies/{id}/transition/` with PUBLISH, PAUSE, START,
// STOP), submissions https://docs.prolific.com/api-reference/submissions
// (list, retrieve, `POST /api/v1/submissions/{id}/transition/` APPROVE or
// REJECT), messages https://docs.prolific.com/api-reference/messages/send-message.

/** Prolific's service fee on rewards and bonuses (33.3 %), unless overridden. */
export const PROLIFIC_DEFAULT_FEES: PlatformFees = { rewardRate: 1 / 3, bonusRate: 1 / 3 }

/** Prolific's rejection categories (the `rejection_category` of a REJECT transition). */
export const PROLIFIC_REJECTION_CATEGORIES = [
  'TOO_QUICKLY',
  'TOO_SLOWLY',
  'FAILED_INSTRUCTIONS',
  'INCOMP_LONGITUDINAL',
  'FAILED_CHECK',
  'LOW_EFFORT',
  'MALINGERING',
  'NO_CODE',
  'BAD_CODE',
  'NO_DATA',
  'UNSUPP_DEVICE',
  'OTHER',
] as const

/** Prolific wants a rejection message of at least 100 characters. */
const MIN_REJECTION_MESSAGE = 100
const REJECTION_PADDING =
  ' This submission was reviewed against the study instructions and could not be accepted.'

/** How to reach and bill a Prolific workspace: the client's options, and the workspace's own. */
export interface ProlificPlatformOptions extends Omit<ProlificClientOptions, 'apiUrl'> {
  /** Default `https://api.prolific.com`. */
  readonly apiUrl?: string | undefined
  /** Where the page sends a finished worker (default Prolific's own completion page). */
  readonly completionUrl?: string | undefined
  /** The workspace's currency, `GBP` (default) or `USD`. */
  readonly currency?: string | undefined
  readonly fees?: PlatformFees | undefined
  /** Needed for participant groups (blocks, qualifications). */
  readonly workspaceId?: string | undefined
  /** The project new studies go into (Prolific's default project when absent). */
  readonly projectId?: string | undefined
}

/** The Prolific platform: ProviderPlatform with pause and resume. */
export type ProlificPlatform = ProviderPlatform &
  Required<Pick<ProviderPlatform, 'pause' | 'resume' | 'message' | 'cleanUpOrphans' | 'getAttempt'>>

/** Tags a study with its run, so a restart finds the study a crash left unrecorded. */
function internalName(runId: string): string {
  return `faust:${runId}`
}

/** The study URL: Prolific fills in the three placeholders for each participant. */
export function prolificStudyUrl(pageUrl: string): string {
  const separator = pageUrl.includes('?') ? '&' : '?'
  return `${pageUrl}${separator}PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`
}

/** Creates the Prolific platform. */
export function createProlificPlatform(options: ProlificPlatformOptions): ProlificPlatform {
  const logger = options.logger ?? silentLogger
  const client = new ProlificClient({
    ...options,
    apiUrl: options.apiUrl ?? 'https://api.prolific.com',
    logger,
  })
  const statuses = new ProlificStatusMapper(logger)
  const groups = new ProlificGroups(client, options.workspaceId)
  const bonuses = new ProlificBonuses(client, logger)
  const completionUrl = options.completionUrl ?? PROLIFIC_COMPLETION_URL
  const studies = new ProlificStudies({ client, groups, projectId: options.projectId, logger })

  return {
    type: 'prolific',
    sandbox: false,
    currency: options.currency ?? 'GBP',
    fees: options.fees ?? PROLIFIC_DEFAULT_FEES,
    wrapCrowdSourceScript: (code) => prolificWrapScript(code, completionUrl),
    identify,
    publish: (request, previous) => studies.publish(request, previous),
    setOpenPlaces: (listing, open) => studies.setOpenPlaces(listing, open),
    pause: (listing) => studies.transitionFrom(listing.listingId, 'PAUSE', ['ACTIVE']),
    resume: (listing) => studies.transitionFrom(listing.listingId, 'START', ['PAUSED']),
    close: (listing) =>
      studies.transitionFrom(listing.listingId, 'STOP', ['ACTIVE', 'PAUSED', 'SCHEDULED']),
    cleanUpOrphans: (known) => studies.cleanUpOrphans(known),
    listAttempts: (listing) => listAttempts(client, statuses, listing),
    getAttempt: async (attempt) =>
      toAttempt(
        await client.request(
          'GET',
          `/api/v1/submissions/${encodeURIComponent(attempt.attemptId)}/`,
        ),
        attempt.placeId,
        statuses,
      ),
    approve: (attempt) =>
      transitionSubmission(client, { attempt, body: { action: 'APPROVE' }, target: 'APPROVED' }),
    reject: async (attempt, request) =>
      transitionSubmission(client, {
        attempt,
        body: rejectBody(request.reason, request.category),
        target: 'REJECTED',
      }),
    bonus: (attempt, request) => bonuses.pay(attempt, request.key, request.amountCents),
    setQualification: (workerId, name, value) =>
      value === null
        ? groups.remove(qualificationGroupName(name), [workerId])
        : groups.add(qualificationGroupName(name), [workerId]),
    block: (workerId) => groups.add(BLOCK_GROUP_NAME, [workerId]),
    unblock: (workerId) => groups.remove(BLOCK_GROUP_NAME, [workerId]),
    // eslint-disable-next-line max-params -- the ProviderPlatform interface's shape
    message: async (workerId, subject, body, listing) => {
      await client.request('POST', '/api/v1/messages/', {
        body: {
          recipient_id: workerId,
          study_id: listing.listingId,
          body: `${subject}\n\n${body}`,
        },
      })
    },
  }
}

/** PROLIFIC_PID, SESSION_ID and STUDY_ID from the page's registration (wrap script). */
function identify(data: ProviderData): ProviderIdentity | null {
  const workerId = data.worker_name
  const attemptId = data.agent_registration_id ?? data['assignment_id']
  const placeId = data['study_id'] ?? data['prolific_study_id']
  if (typeof workerId !== 'string' || typeof attemptId !== 'string' || typeof placeId !== 'string')
    return null
  if (workerId === '' || attemptId === '' || placeId === '') return null
  return { workerId, attemptId, placeId }
}

function rejectBody(reason: string, category: string | undefined): Record<string, string> {
  const rejectionCategory = category ?? 'OTHER'
  if (!(PROLIFIC_REJECTION_CATEGORIES as readonly string[]).includes(rejectionCategory)) {
    throw new ProviderError(
      'PROVIDER_REQUEST_INVALID',
      `Unknown Prolific rejection category ${JSON.stringify(category)} (one of ${PROLIFIC_REJECTION_CATEGORIES.join(', ')})`,
    )
  }
  let message = reason.trim()
  while (message.length < MIN_REJECTION_MESSAGE) message += REJECTION_PADDING
  return { action: 'REJECT', message, rejection_category: rejectionCategory }
}

/**
 * APPROVE or REJECT. Prolific ignores the same transition twice; a refusal
 * (400) is checked against the submission: already in the target status is
 * success, any other status a PROVIDER_CONFLICT naming it.
 */
async function transitionSubmission(
  client: ProlificClient,
  change: { attempt: ProviderIdentity; body: Record<string, string>; target: string },
): Promise<void> {
  const { attempt, body, target } = change
  const path = `/api/v1/submissions/${encodeURIComponent(attempt.attemptId)}`
  try {
    await client.request('POST', `${path}/transition/`, { body })
  } catch (error) {
    if (!(error instanceof ProviderError) || error.code !== 'PROVIDER_REQUEST_INVALID') throw error
    const submission = await client.request('GET', `${path}/`)
    const status =
      isRecord(submission) && typeof submission['status'] === 'string' ? submission['status'] : '?'
    if (normaliseStatus(status) === target) return
    throw new ProviderError(
      'PROVIDER_CONFLICT',
      `Prolific refused to ${body['action']} submission ${attempt.attemptId} in status ${status}`,
      { cause: error, status: error.status, providerCode: status },
    )
  }
}

async function* listAttempts(
  client: ProlificClient,
  statuses: ProlificStatusMapper,
  listing: ListingRecord,
): AsyncGenerator<ProviderAttempt> {
  for await (const item of client.list(
    `/api/v1/studies/${encodeURIComponent(listing.listingId)}/submissions/`,
  )) {
    const attempt = toAttempt(item, listing.listingId, statuses)
    if (attempt !== null) yield attempt
  }
}

function toAttempt(
  item: unknown,
  studyId: string,
  statuses: ProlificStatusMapper,
): ProviderAttempt | null {
  if (!isRecord(item) || typeof item['id'] !== 'string') return null
  const workerId = item['participant_id'] ?? item['participant']
  const status = typeof item['status'] === 'string' ? item['status'] : 'UNKNOWN'
  return {
    workerId: typeof workerId === 'string' ? workerId : '',
    attemptId: item['id'],
    placeId: typeof item['study_id'] === 'string' ? item['study_id'] : studyId,
    status: statuses.map(status),
    providerStatus: status,
    startedAt: epochMs(item['started_at']),
    submittedAt: epochMs(item['completed_at']),
  }
}

function epochMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

/** Study creation, places and transitions. */
class ProlificStudies {
  private readonly client: ProlificClient
  private readonly groups: ProlificGroups
  private readonly projectId: string | undefined
  private readonly logger: Logger

  constructor(parts: {
    client: ProlificClient
    groups: ProlificGroups
    projectId: string | undefined
    logger: Logger
  }) {
    this.client = parts.client
    this.groups = parts.groups
    this.projectId = parts.projectId
    this.logger = parts.logger
  }

  async publish(request: PublishRequest, previous: ListingRecord | null): Promise<ListingRecord> {
    const existing = previous?.listingId ?? (await this.#findStudyOf(request.runId))
    const blockGroupId = await this.#blockGroup(request.blockedWorkerIds)
    const studyId = existing ?? (await this.#create(request, blockGroupId))
    // A study created but not yet published (a crash in between) is published now.
    await this.transitionFrom(studyId, 'PUBLISH', ['UNPUBLISHED'])
    return {
      listingId: studyId,
      sandbox: false,
      details: {
        ...(previous?.details ?? {}),
        ...(blockGroupId === undefined ? {} : { blockGroupId }),
      },
    }
  }

  async setOpenPlaces(listing: ListingRecord, open: number): Promise<void> {
    const study = await this.#study(listing.listingId)
    const total =
      typeof study['total_available_places'] === 'number' ? study['total_available_places'] : 0
    let taken = 0
    for await (const item of this.client.list(
      `/api/v1/studies/${encodeURIComponent(listing.listingId)}/submissions/`,
    )) {
      const status =
        isRecord(item) && typeof item['status'] === 'string' ? normaliseStatus(item['status']) : ''
      if (!FREED_STATUSES.has(status)) taken++
    }
    const wanted = taken + Math.max(0, open)
    if (wanted > total) {
      await this.client.request(
        'PATCH',
        `/api/v1/studies/${encodeURIComponent(listing.listingId)}/`,
        {
          body: { total_available_places: wanted },
        },
      )
    } else if (wanted < total) {
      // Prolific only lets a published study grow; the run refuses extra arrivals instead.
      this.logger.debug(
        { studyId: listing.listingId, total, wanted },
        'Prolific: study keeps its places (cannot shrink)',
      )
    }
  }

  /** Sends `action` if the study is in one of `from`; otherwise nothing (idempotent). */
  async transitionFrom(studyId: string, action: string, from: readonly string[]): Promise<void> {
    const study = await this.#study(studyId)
    const status = typeof study['status'] === 'string' ? normaliseStatus(study['status']) : ''
    if (!from.includes(status)) return
    await this.client.request(
      'POST',
      `/api/v1/studies/${encodeURIComponent(studyId)}/transition/`,
      { body: { action } },
    )
  }

  async cleanUpOrphans(known: readonly string[]): Promise<number> {
    let stopped = 0
    for await (const study of this.client.list('/api/v1/studies/')) {
      if (!isRecord(study) || typeof study['id'] !== 'string' || known.includes(study['id']))
        continue
      const name = study['internal_name']
      const status = typeof study['status'] === 'string' ? normaliseStatus(study['status']) : ''
      if (
        typeof name !== 'string' ||
        !name.startsWith('faust:') ||
        !['ACTIVE', 'PAUSED'].includes(status)
      )
        continue
      await this.client.request(
        'POST',
        `/api/v1/studies/${encodeURIComponent(study['id'])}/transition/`,
        {
          body: { action: 'STOP' },
        },
      )
      stopped++
    }
    return stopped
  }

  async #study(studyId: string): Promise<Record<string, unknown>> {
    const study = await this.client.request(
      'GET',
      `/api/v1/studies/${encodeURIComponent(studyId)}/`,
    )
    if (!isRecord(study))
      throw new ProviderError(
        'PROVIDER_RESPONSE_INVALID',
        `Prolific study ${studyId}: not an object`,
      )
    return study
  }

  async #findStudyOf(runId: string): Promise<string | undefined> {
    for await (const study of this.client.list('/api/v1/studies/')) {
      if (
        isRecord(study) &&
        study['internal_name'] === internalName(runId) &&
        typeof study['id'] === 'string'
      ) {
        return study['id']
      }
    }
    return undefined
  }

  async #blockGroup(blocked: readonly string[]): Promise<string | undefined> {
    if (blocked.length === 0) return undefined
    await this.groups.add(BLOCK_GROUP_NAME, blocked)
    return this.groups.idOf(BLOCK_GROUP_NAME)
  }

  async #create(request: PublishRequest, blockGroupId: string | undefined): Promise<string> {
    const created = await this.client.request('POST', '/api/v1/studies/', {
      body: studyBody(request, blockGroupId, this.projectId),
    })
    if (!isRecord(created) || typeof created['id'] !== 'string') {
      throw new ProviderError('PROVIDER_RESPONSE_INVALID', 'Prolific created a study without an id')
    }
    return created['id']
  }
}

/** The draft study (https://docs.prolific.com/api-reference/studies/the-study-object). */
function studyBody(
  request: PublishRequest,
  blockGroupId: string | undefined,
  projectId: string | undefined,
): object {
  return {
    name: request.title,
    internal_name: internalName(request.runId),
    description: request.description,
    external_study_url: prolificStudyUrl(request.pageUrl),
    prolific_id_option: 'url_parameters',
    // Manual review: Faust approves or rejects each submission itself.
    completion_codes: [
      {
        code: request.completionCode,
        code_type: 'COMPLETED',
        actions: [{ action: 'MANUALLY_REVIEW' }],
      },
    ],
    total_available_places: request.places,
    estimated_completion_time: Math.max(1, Math.round(request.estimatedMinutes)),
    maximum_allowed_time: Math.max(1, Math.round(request.maxMinutes)),
    reward: request.rewardCents,
    device_compatibility: ['desktop'],
    filters:
      blockGroupId === undefined
        ? []
        : [{ filter_id: 'participant_group_blocklist', selected_values: [blockGroupId] }],
    ...(projectId === undefined ? {} : { project: projectId }),
  }
}
