import { err, ok } from '@faust/protocol'
import type { Result } from '@faust/protocol'
import { sql } from 'kysely'
import type { Kysely, Selectable } from 'kysely'
import { decodeJson, encodeJson } from './json-column.js'
import type { RepositoryContext } from './repository-context.js'
import { inTransaction, nowMs } from './repository-context.js'
import type { Database, SubmissionFilesTable } from './schema.js'

/** An uploaded file, already copied into the data folder. */
export interface NewSubmissionFile {
  /** The form field it was uploaded under. */
  readonly fieldName: string
  /** The name on the worker's machine; never used as a path. */
  readonly originalName: string
  /** Where the copy lives, relative to the store's `dataDir` (forward slashes). */
  readonly storedPath: string
  readonly mimetype: string
  readonly sizeBytes: number
}

/** A stored file of a submission. */
export interface SubmissionFileRecord extends NewSubmissionFile {
  readonly id: string
  readonly submissionId: string
  readonly createdAt: number
}

/** An agent's stored submission and its files. */
export interface SubmissionRecord {
  readonly id: string
  readonly agentId: string
  readonly data: unknown
  readonly submittedAt: number
  /** The client's idempotency key (docs/protocol.md §14), or null if it sent none. */
  readonly submissionKey: string | null
  readonly files: readonly SubmissionFileRecord[]
}

/** What {@link SubmissionsRepository.store} needs. */
export interface NewSubmission {
  readonly agentId: string
  readonly data: unknown
  readonly files?: readonly NewSubmissionFile[] | undefined
  /** The client's idempotency key, kept to recognise a retry of this submission. */
  readonly submissionKey?: string | null | undefined
}

/** The agent already has a stored submission; the first one is kept. */
export interface AlreadySubmitted {
  readonly code: 'ALREADY_SUBMITTED'
}

const FILE_QUERY_CHUNK = 500

/** Maps a `submission_files` row to a {@link SubmissionFileRecord}. */
export function toSubmissionFileRecord(
  row: Selectable<SubmissionFilesTable>,
): SubmissionFileRecord {
  return {
    id: row.id,
    submissionId: row.submission_id,
    fieldName: row.field_name,
    originalName: row.original_name,
    storedPath: row.stored_path,
    mimetype: row.mimetype,
    sizeBytes: row.size_bytes,
    createdAt: row.created_at,
  }
}

/** The files of the given submissions, grouped by submission id, in upload order. */
export async function listSubmissionFiles(
  db: Kysely<Database>,
  submissionIds: readonly string[],
): Promise<Map<string, SubmissionFileRecord[]>> {
  const bySubmission = new Map<string, SubmissionFileRecord[]>()
  // Chunked to stay far below SQLite's limit on bound parameters.
  for (let start = 0; start < submissionIds.length; start += FILE_QUERY_CHUNK) {
    const rows = await db
      .selectFrom('submission_files')
      .selectAll()
      .where('submission_id', 'in', submissionIds.slice(start, start + FILE_QUERY_CHUNK))
      .orderBy('created_at')
      .orderBy(sql`submission_files.rowid`)
      .execute()
    for (const row of rows) {
      const files = bySubmission.get(row.submission_id) ?? []
      files.push(toSubmissionFileRecord(row))
      bySubmission.set(row.submission_id, files)
    }
  }
  return bySubmission
}

/** Submissions: each agent's final data, stored exactly once, with uploaded files. */
export class SubmissionsRepository {
  readonly #ctx: RepositoryContext

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx
  }

  /**
   * Stores the agent's submission with its files. A second submission for
   * the same agent is refused (the unique `agent_id` decides, even between
   * racing requests) and the first is left intact.
   */
  async store(input: NewSubmission): Promise<Result<SubmissionRecord, AlreadySubmitted>> {
    const { clock, generateId } = this.#ctx
    return inTransaction(this.#ctx.db, async (trx) => {
      const submittedAt = nowMs(clock)
      const inserted = await trx
        .insertInto('submissions')
        .values({
          id: generateId(),
          agent_id: input.agentId,
          data: encodeJson(input.data),
          submitted_at: submittedAt,
          submission_key: input.submissionKey ?? null,
        })
        .onConflict((oc) => oc.column('agent_id').doNothing())
        .returningAll()
        .executeTakeFirst()
      if (inserted === undefined) return err({ code: 'ALREADY_SUBMITTED' })
      const files = await new SubmissionsRepository({ ...this.#ctx, db: trx }).addFiles(
        inserted.id,
        input.files ?? [],
      )
      return ok({
        id: inserted.id,
        agentId: inserted.agent_id,
        data: decodeJson(inserted.data),
        submittedAt: inserted.submitted_at,
        submissionKey: inserted.submission_key,
        files,
      })
    })
  }

  /** Attaches more stored files to an existing submission. */
  async addFiles(
    submissionId: string,
    files: readonly NewSubmissionFile[],
  ): Promise<SubmissionFileRecord[]> {
    if (files.length === 0) return []
    const now = nowMs(this.#ctx.clock)
    const rows: Selectable<SubmissionFilesTable>[] = files.map((file) => ({
      id: this.#ctx.generateId(),
      submission_id: submissionId,
      field_name: file.fieldName,
      original_name: file.originalName,
      stored_path: file.storedPath,
      mimetype: file.mimetype,
      size_bytes: file.sizeBytes,
      created_at: now,
    }))
    await this.#ctx.db.insertInto('submission_files').values(rows).execute()
    return rows.map(toSubmissionFileRecord)
  }

  /** The agent's submission with its files, or `null` if it has not submitted. */
  async get(agentId: string): Promise<SubmissionRecord | null> {
    const row = await this.#ctx.db
      .selectFrom('submissions')
      .selectAll()
      .where('agent_id', '=', agentId)
      .executeTakeFirst()
    if (row === undefined) return null
    const files = await listSubmissionFiles(this.#ctx.db, [row.id])
    return {
      id: row.id,
      agentId: row.agent_id,
      data: decodeJson(row.data),
      submittedAt: row.submitted_at,
      submissionKey: row.submission_key,
      files: files.get(row.id) ?? [],
    }
  }
}
