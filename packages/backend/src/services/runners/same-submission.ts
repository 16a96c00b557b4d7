import * as v from 'valibot'
import { UploadDescriptor, canonicalJson } from '@faust/protocol'
import type { SubmissionRecord } from '../../store/submissions-repository.js'

const Uploads = v.array(UploadDescriptor)

/**
 * Whether `data` (a `submit_unit` as the router sent it) hands in what is
 * already stored. Uploads are compared by field, original name, type and
 * size: the router names each upload anew, and the stored data names the
 * copies, so neither name can match on a faithful retry.
 */
export function isSameSubmission(stored: SubmissionRecord, data: unknown): boolean {
  const uploads = uploadsOf(data)
  if (uploads === null) return canonicalJson(stored.data) === canonicalJson(data)
  const storedUploads = stored.files.map((file) => [
    file.fieldName,
    file.originalName,
    file.mimetype,
    file.sizeBytes,
  ])
  const incomingUploads = uploads.map((file) => [
    file.fieldname,
    file.originalname,
    file.mimetype,
    file.size,
  ])
  return (
    canonicalJson(withoutUploads(stored.data)) === canonicalJson(withoutUploads(data)) &&
    canonicalJson(storedUploads) === canonicalJson(incomingUploads)
  )
}

function uploadsOf(data: unknown): UploadDescriptor[] | null {
  if (typeof data !== 'object' || data === null || !('files' in data)) return null
  const parsed = v.safeParse(Uploads, data.files)
  return parsed.success ? parsed.output : null
}

function withoutUploads(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data
  const rest: Record<string, unknown> = { ...data }
  delete rest['files']
  delete rest['filesByFields']
  return rest
}
