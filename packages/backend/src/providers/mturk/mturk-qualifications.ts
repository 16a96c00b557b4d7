import {
  CreateQualificationTypeCommand,
  paginateListQualificationTypes,
  type MTurkClient,
} from '@aws-sdk/client-mturk'
import { ProviderError } from '../../util/backend-error.js'
import { mturkError } from './mturk-errors.js'

// One MTurk qualification type per Faust qualification name. MTurk refuses a
// second type with the same name for a requester, so the name is the key:
// ids are cached in memory and found again by name (ListQualificationTypes
// with Query and MustBeOwnedByCaller) after a restart.

/** Finds or creates qualification types by name, remembering their ids. */
export class QualificationTypes {
  readonly #client: MTurkClient
  readonly #ids = new Map<string, Promise<string>>()

  constructor(client: MTurkClient) {
    this.#client = client
  }

  /** The id of the type named `name`, created (Active) on first use. */
  idOf(name: string): Promise<string> {
    let id = this.#ids.get(name)
    if (id === undefined) {
      id = this.#findOrCreate(name)
      // A failed lookup is not cached: the next call tries again.
      id.catch(() => this.#ids.delete(name))
      this.#ids.set(name, id)
    }
    return id
  }

  async #findOrCreate(name: string): Promise<string> {
    const found = await this.#find(name)
    if (found !== null) return found
    try {
      const created = await this.#client.send(
        new CreateQualificationTypeCommand({
          Name: name,
          Description: `Faust qualification "${name}"`,
          QualificationTypeStatus: 'Active',
        }),
      )
      const id = created.QualificationType?.QualificationTypeId
      if (id !== undefined) return id
    } catch (error) {
      // Another process may have created it between the lookup and here.
      const raced = await this.#find(name)
      if (raced !== null) return raced
      throw mturkError('CreateQualificationType', error)
    }
    throw new ProviderError(
      'PROVIDER_RESPONSE_INVALID',
      'MTurk CreateQualificationType: no QualificationTypeId in the answer',
    )
  }

  async #find(name: string): Promise<string | null> {
    try {
      const pages = paginateListQualificationTypes(
        { client: this.#client, pageSize: 100 },
        { Query: name, MustBeRequestable: false, MustBeOwnedByCaller: true },
      )
      for await (const page of pages) {
        const match = page.QualificationTypes?.find((type) => type.Name === name)
        if (match?.QualificationTypeId !== undefined) return match.QualificationTypeId
      }
      return null
    } catch (error) {
      throw mturkError('ListQualificationTypes', error)
    }
  }
}
