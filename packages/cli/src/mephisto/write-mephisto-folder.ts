import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** The built entry that becomes the folder's `server.js`. */
const SERVER_ENTRY = fileURLToPath(new URL('./mephisto-server-main.js', import.meta.url))

/**
 * Mephisto's architect copies `static/wrap_crowd_source.js` into the folder
 * and so needs `static/` to exist; its task builders add `bundle.js` beside
 * this page. Unlike Mephisto's default page it loads nothing from another
 * host, so the router's content security policy holds.
 */
const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Task</title>
    <script src="wrap_crowd_source.js"></script>
  </head>
  <body>
    <div id="app"></div>
    <script src="bundle.js"></script>
  </body>
</html>
`

const PACKAGE_JSON = `${JSON.stringify(
  {
    name: 'faust-mephisto-server',
    private: true,
    description: "Faust's router as Mephisto's architect.server_source_path",
    // server.js is one CommonJS bundle with every dependency inside.
    type: 'commonjs',
    main: 'server.js',
    scripts: { start: 'node server.js' },
  },
  null,
  2,
)}\n`

const README = `# Faust's router for Mephisto

Made by \`faust mephisto-server\`. Point Mephisto at this folder:

    mephisto.architect.server_source_path=<this folder>

Mephisto copies it, adds the task's files to \`static/\`, and runs \`node server.js\` with PORT set.
\`server.js\` holds the whole router; nothing needs installing here. Environment it reads:
PORT (default 3000), FAUST_HOST (default 0.0.0.0, as Mephisto's own server), FAUST_UPLOAD_DIR
(default /tmp, where Mephisto's local architect copies uploads from), FAUST_BACKEND_TOKEN (a backend
presenting it is accepted from anywhere), FAUST_LOG_LEVEL (default info).
A backend that presents no secret is accepted only from this machine.
`

/** Thrown when the folder holds files and `force` was not given. */
export class FolderNotEmptyError extends Error {
  readonly code = 'FOLDER_NOT_EMPTY'
}

/** Writes a folder for Mephisto's `architect.server_source_path`. */
export async function writeMephistoFolder(dir: string, options: { force: boolean }): Promise<void> {
  const existing = await readdir(dir).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  })
  if (existing.length > 0 && !options.force) {
    throw new FolderNotEmptyError(`${dir} is not empty; add --force to write into it anyway`)
  }
  await mkdir(join(dir, 'static'), { recursive: true })
  await build({
    entryPoints: [SERVER_ENTRY],
    outfile: join(dir, 'server.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
    legalComments: 'eof',
    banner: {
      js: "// Faust's router, bundled by `faust mephisto-server`. Run: PORT=3000 node server.js",
    },
  })
  await writeFile(join(dir, 'package.json'), PACKAGE_JSON)
  await writeFile(join(dir, 'README.md'), README)
  await writeFile(join(dir, 'static', 'index.html'), INDEX_HTML)
}
