import { copyFile, mkdir, open, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { UploadError } from '../../util/backend-error.js'

/** Brings a file the router stored for a submission into the run's folder. */
export interface UploadFetcher {
  /** Copies upload `filename` to `destination` (a full path). */
  fetch(filename: string, destination: string): Promise<void>
}

/** Flushes a copied file to disk: a submission is `completed` only once its files would survive a power cut. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function assertPlainName(filename: string): void {
  if (basename(filename) !== filename || filename.startsWith('.')) {
    throw new UploadError('UPLOAD_NAME_INVALID', `not an upload name: ${filename}`)
  }
}

/** For a router on this machine: copies from its upload folder. */
export function localUploadFetcher(uploadDir: string): UploadFetcher {
  return {
    async fetch(filename, destination) {
      assertPlainName(filename)
      await mkdir(join(destination, '..'), { recursive: true })
      await copyFile(join(uploadDir, filename), destination)
      await syncFile(destination)
    },
  }
}

/** For a remote router: downloads `/download_file/<name>` with the backend secret. */
export function remoteUploadFetcher(options: {
  routerUrl: string
  token: string
  timeoutMs?: number
}): UploadFetcher {
  return {
    async fetch(filename, destination) {
      assertPlainName(filename)
      const response = await fetch(
        `${options.routerUrl}/download_file/${encodeURIComponent(filename)}`,
        {
          headers: { authorization: `Bearer ${options.token}` },
          signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
        },
      )
      if (!response.ok)
        throw new UploadError(
          'UPLOAD_DOWNLOAD_FAILED',
          `download of ${filename} failed with HTTP ${String(response.status)}`,
        )
      await mkdir(join(destination, '..'), { recursive: true })
      await writeFile(destination, new Uint8Array(await response.arrayBuffer()))
      await syncFile(destination)
    },
  }
}
