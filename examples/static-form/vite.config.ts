import { createLogger, defineConfig } from 'vite'

// index.html loads the provider's wrap_crowd_source.js with a plain classic
// <script>: the router serves it beside the page at run time, so the build
// must leave it alone. Vite does, but warns that it "can't be bundled";
// that one warning is expected and silenced here.
const logger = createLogger()
const warn = logger.warn.bind(logger)
logger.warn = (message, options) => {
  if (message.includes('<script src="wrap_crowd_source.js">')) return
  warn(message, options)
}

// A static page served from the router's root beside wrap_crowd_source.js and
// task_config.json: relative asset URLs, one JS bundle, one stylesheet.
export default defineConfig({
  base: './',
  customLogger: logger,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
})
