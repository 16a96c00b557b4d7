import { ProviderError } from '../../util/backend-error.js'
import { isRecord } from './prolific-client.js'
import type { ProlificClient } from './prolific-client.js'

// Blocks and Faust qualifications as Prolific participant groups
// (https://docs.prolific.com/api-reference/participant-groups): groups belong
// to a workspace, are found by name, and are dynamic: a study published with
// a group as its blocklist filter stops admitting a participant as soon as
// they are added to the group.

/** The group every Faust study uses as its blocklist. */
export const BLOCK_GROUP_NAME = 'faust-blocked'

/** The group that stands for a Faust qualification. */
export function qualificationGroupName(name: string): string {
  return `faust-qualification-${name}`
}

/** Finds or creates participant groups by name, caching their ids. */
export class ProlificGroups {
  readonly #ids = new Map<string, string>()

  constructor(
    private readonly client: ProlificClient,
    private readonly workspaceId: string | undefined,
  ) {}

  /** The group's id, created (empty) on first use. */
  async idOf(name: string): Promise<string> {
    const cached = this.#ids.get(name)
    if (cached !== undefined) return cached
    const workspace = this.#workspace()
    const found = await this.#find(workspace, name)
    const id = found ?? (await this.#create(workspace, name))
    this.#ids.set(name, id)
    return id
  }

  async add(name: string, participantIds: readonly string[]): Promise<void> {
    if (participantIds.length === 0) return
    const id = await this.idOf(name)
    // Adding a member twice is ignored by Prolific, so this is safe to repeat.
    await this.client.request(
      'POST',
      `/api/v1/participant-groups/${encodeURIComponent(id)}/participants/`,
      {
        body: { participant_ids: participantIds },
      },
    )
  }

  async remove(name: string, participantIds: readonly string[]): Promise<void> {
    const id = await this.idOf(name)
    await this.client.request(
      'DELETE',
      `/api/v1/participant-groups/${encodeURIComponent(id)}/participants/`,
      {
        body: { participant_ids: participantIds },
      },
    )
  }

  #workspace(): string {
    if (this.workspaceId === undefined) {
      throw new ProviderError(
        'PROVIDER_REQUEST_INVALID',
        'Prolific participant groups (blocks, qualifications) need a workspace: set PROLIFIC_WORKSPACE_ID',
      )
    }
    return this.workspaceId
  }

  async #find(workspace: string, name: string): Promise<string | undefined> {
    for await (const group of this.client.list(
      `/api/v1/participant-groups/?workspace_id=${encodeURIComponent(workspace)}`,
    )) {
      if (
        isRecord(group) &&
        group['name'] === name &&
        group['is_deleted'] !== true &&
        typeof group['id'] === 'string'
      ) {
        return group['id']
      }
    }
    return undefined
  }

  async #create(workspace: string, name: string): Promise<string> {
    const created = await this.client.request('POST', '/api/v1/participant-groups/', {
      body: { name, workspace_id: workspace, description: 'Managed by Faust' },
    })
    if (!isRecord(created) || typeof created['id'] !== 'string') {
      throw new ProviderError(
        'PROVIDER_RESPONSE_INVALID',
        'Prolific created a participant group without an id',
      )
    }
    return created['id']
  }
}
