import { defineConfig } from 'vite'

// faust run serves dist/ at the router's root, beside wrap_crowd_source.js
// and task_config.json: relative URLs keep the page working under any path.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
})
