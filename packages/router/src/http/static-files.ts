import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ErrorCode } from '@faust/protocol'
import { RouterError } from '../relay/router-error.js'

const INDEX_FILE = 'index.html'

/**
 * Serves the task page folder on every GET path no other route claims.
 * @fastify/static alone served dotfiles (`/.env`, `/.git/config`) and
 * followed symlinks out of the folder (`/link/passwd`), so the path is
 * checked here first: no segment may start with a dot (after decoding, so
 * `%2e` counts), none may hide a separator, and the real path of the file,
 * symlinks resolved, must lie inside the real path of the folder. Sending
 * (content types, ETag, Last-Modified, caching) stays with `reply.sendFile`.
 */
export function registerStaticFiles(app: FastifyInstance, staticDir: string): void {
  // Resolved once, lazily: the folder may itself be reached through a symlink.
  let realRoot: Promise<string> | undefined
  const root = (): Promise<string> => (realRoot ??= realpath(staticDir))

  app.get('/*', async (request, reply) => {
    const file = await resolveStaticFile(await root(), request.url)
    if (file === undefined) throw notFound(request)
    return sendResolved(reply, file)
  })
}

/** The file's path relative to the real root and the root itself. */
interface ResolvedFile {
  readonly root: string
  readonly path: string
}

/**
 * The file a request URL names inside `realRoot`, or undefined when it names
 * none, names a hidden or escaping path, or resolves outside the folder. A
 * folder stands for its `index.html`.
 */
export async function resolveStaticFile(
  realRoot: string,
  url: string,
): Promise<ResolvedFile | undefined> {
  const segments = safeSegments(url)
  if (segments === undefined) return undefined
  const real = await containedRealPath(realRoot, join(realRoot, ...segments))
  if (real === undefined) return undefined
  const info = await stat(real)
  if (info.isFile()) return { root: realRoot, path: relative(realRoot, real) }
  if (!info.isDirectory()) return undefined
  const index = await containedRealPath(realRoot, join(real, INDEX_FILE))
  if (index === undefined || !(await stat(index)).isFile()) return undefined
  return { root: realRoot, path: relative(realRoot, index) }
}

/**
 * The decoded path segments of a URL's path, or undefined if one is hidden
 * (`.env`, `..`, `%2e%2e`), carries a separator or NUL once decoded
 * (`..%2F`, `%5C`, `%00`), or does not decode at all.
 */
function safeSegments(url: string): string[] | undefined {
  const path = url.split('?', 1)[0] ?? ''
  const segments: string[] = []
  for (const raw of path.split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return undefined
    }
    if (segment.startsWith('.') || /[/\\\0]/.test(segment)) return undefined
    segments.push(segment)
  }
  return segments
}

/** The real path of `path` if it exists and lies inside `realRoot`. */
async function containedRealPath(realRoot: string, path: string): Promise<string | undefined> {
  let real: string
  try {
    real = await realpath(path)
  } catch {
    return undefined
  }
  const inside = relative(realRoot, real)
  if (inside === '') return real
  const escapes = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)
  return escapes ? undefined : real
}

// `sendFile` takes the plain path (it encodes it for @fastify/send itself).
function sendResolved(reply: FastifyReply, file: ResolvedFile): FastifyReply {
  return reply.sendFile(file.path.split(sep).join('/'), file.root)
}

function notFound(request: FastifyRequest): RouterError {
  const path = request.url.split('?', 1)[0] ?? ''
  return new RouterError(ErrorCode.NOT_FOUND, `no such route or file: ${request.method} ${path}`)
}
