import { createHash } from 'node:crypto'
import { canonicalJson, type UploadDescriptor } from '@faust/protocol'

/**
 * A digest of what a worker hands in with `/submit_task`: the final data as
 * canonical JSON and, for each uploaded file, its field, original name, type
 * and size. The names the router generates for stored uploads are left out:
 * they differ on every attempt, and an identical retry must match.
 */
export function submissionDigest(data: unknown, files: readonly UploadDescriptor[] | null): string {
  const uploads =
    files?.map((file) => [file.fieldname, file.originalname, file.mimetype, file.size]) ?? null
  return createHash('sha256').update(canonicalJson({ data, uploads })).digest('base64url')
}
