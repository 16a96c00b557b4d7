// The Vite settings the three example pages share; each example's
// vite.config.ts is `defineConfig(examplePagePreset())`. A page of your own can
// start from it and add to it with Vite's `mergeConfig`.
import { createLogger, type Logger, type UserConfig } from 'vite'

/**
 * A static page served from the router's root beside wrap_crowd_source.js and
 * task_config.json: relative asset URLs, one JS bundle, one stylesheet.
 */
export function examplePagePreset(): UserConfig {
  return {
    base: './',
    customLogger: quietLogger(),
    // JSX through Vite's built-in transform, React's automatic runtime (no plugin).
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: { polyfill: false },
      rolldownOptions: {
        // @faust/react marks its modules 'use client' (for server-component
        // frameworks); in a plain client bundle the directive is moot.
        onwarn(warning, defaultHandler) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('use client')) {
            return
          }
          defaultHandler(warning)
        },
      },
    },
  }
}

/**
 * index.html loads the provider's wrap_crowd_source.js with a plain classic
 * <script>: the router serves it beside the page at run time, so the build
 * must leave it alone. Vite does, but warns that it "can't be bundled";
 * that one warning is expected and silenced here.
 */
function quietLogger(): Logger {
  const logger = createLogger()
  const warn = logger.warn.bind(logger)
  logger.warn = (message, options) => {
    if (message.includes('<script src="wrap_crowd_source.js">')) return
    warn(message, options)
  }
  return logger
}
