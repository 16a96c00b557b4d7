// The console's browser UI, bundled into ../dist/ui and served by the
// console's server under a strict CSP (`default-src 'self'`): everything is
// bundled (no CDN, no web fonts) and the built index.html has no inline script.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // JSX through Vite's built-in transform, React's automatic runtime (no plugin).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The preload polyfill is an inline script, which the CSP would refuse.
    modulePreload: { polyfill: false },
    // Recharts is large; one bundle served from the operator's own machine is fine.
    chunkSizeWarningLimit: 2000,
    assetsInlineLimit: 0,
  },
})
