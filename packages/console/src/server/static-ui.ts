import { readdir, readFile } from 'node:fs/promises'
import { extname, join, relative, sep } from 'node:path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

/** One file of the built UI, read into memory. */
export interface UiFile {
  readonly body: Buffer
  readonly contentType: string
}

/** The built UI's files by URL path (`/index.html`, `/assets/…`); empty when not built. */
export type UiFiles = ReadonlyMap<string, UiFile>

/**
 * Reads the built UI (packages/console/dist/ui) into memory once: the URL
 * paths it answers are exactly these files, so no request path ever reaches
 * the file system. A missing folder gives an empty map (the fallback page).
 */
export async function loadUiFiles(dir: string): Promise<UiFiles> {
  const files = new Map<string, UiFile>()
  let names: string[]
  try {
    names = await readdir(dir, { recursive: true })
  } catch {
    return files
  }
  for (const name of names) {
    const path = join(dir, name)
    let body: Buffer
    try {
      body = await readFile(path)
    } catch {
      continue // a folder
    }
    const url = `/${relative(dir, path).split(sep).join('/')}`
    files.set(url, {
      body,
      contentType: CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
    })
  }
  return files
}

/** Shown at `/` until the UI is built (`npm run build`). */
export const UI_NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Faust console</title></head>
<body><main><h1>Faust console</h1>
<p>The console's user interface is not built. Run <code>npm run build</code> and reload.
The HTTP API under <code>/api/</code> works already (docs/console.md).</p></main></body></html>
`
