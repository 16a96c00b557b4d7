import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { ErrorCode, type UploadDescriptor } from '@faust/protocol'
import { RouterError } from '../relay/router-error.js'
import { iterateUntilAborted } from './abortable.js'

/** The text fields and stored files of one multipart body. */
export interface MultipartBody {
  readonly fields: Record<string, string>
  readonly files: UploadDescriptor[]
}

/** Names the router generates for uploads: 32 hex digits and a short extension. */
export const UPLOAD_NAME_PATTERN = /^[0-9a-f]{32}(\.[A-Za-z0-9]{1,10})?$/

/**
 * Reads a multipart body, streaming each file into `uploadDir` under a
 * generated name (the worker's file name is kept only as `originalname`).
 * Size and count limits are enforced by @fastify/multipart while streaming; on
 * any failure, or when `signal` aborts, every file already written for this
 * request is removed.
 */
export async function readMultipart(
  request: FastifyRequest,
  uploadDir: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<MultipartBody> {
  const fields: Record<string, string> = {}
  const files: UploadDescriptor[] = []
  const written: string[] = []
  try {
    // `signal` (the upload guard's timeouts) ends the wait for the next
    // part and the copy of a file alike.
    for await (const part of iterateUntilAborted(request.parts(), signal)) {
      if (part.type === 'field') {
        // busboy cuts a field at `fieldSize` (maxBodyBytes) and only flags
        // it: the cut value was relayed as if whole (or failed as invalid
        // JSON with a misleading 400). Over the limit is a 413, as for JSON.
        if (part.valueTruncated || part.fieldnameTruncated) {
          throw new RouterError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            `the form field '${part.fieldname}' is over the configured limit`,
          )
        }
        fields[part.fieldname] =
          typeof part.value === 'string' ? part.value : JSON.stringify(part.value)
        continue
      }
      const filename = generatedName(part.filename)
      const path = join(uploadDir, filename)
      written.push(path)
      const sink = createWriteStream(path, { flags: 'wx', mode: 0o600 })
      await pipeline(part.file, sink, { signal })
      files.push({
        fieldname: part.fieldname,
        originalname: part.filename,
        encoding: part.encoding,
        mimetype: part.mimetype,
        destination: uploadDir,
        filename,
        path,
        size: sink.bytesWritten,
      })
    }
  } catch (error) {
    await Promise.all(written.map((path) => rm(path, { force: true })))
    throw error
  }
  return { fields, files }
}

/** `files` grouped by form field, without `fieldname` (the reference's `filesByFields`). */
export function groupByField(
  files: readonly UploadDescriptor[],
): Record<string, Omit<UploadDescriptor, 'fieldname'>[]> {
  const byField: Record<string, Omit<UploadDescriptor, 'fieldname'>[]> = {}
  for (const { fieldname, ...rest } of files) (byField[fieldname] ??= []).push(rest)
  return byField
}

function generatedName(originalName: string): string {
  const extension = extname(originalName)
  const safeExtension = /^\.[A-Za-z0-9]{1,10}$/.test(extension) ? extension : ''
  return randomBytes(16).toString('hex') + safeExtension
}
