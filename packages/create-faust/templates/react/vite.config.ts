import { defineConfig } from 'vite'

// faust run serves dist/ at the router's root, beside wrap_crowd_source.js
// and task_config.json: relative URLs keep the page working under any path.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // @faust/react marks its modules 'use client' for React Server Components
      // frameworks; in a page bundle the directive is moot, and so is the warning.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('use client')) {
          return
        }
        warn(warning)
      },
    },
  },
})
