import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources in tests through the
// `@faust/source` export condition; the runtime entry stays `dist/`.
export default defineConfig({
  resolve: { conditions: ['@faust/source'] },
  ssr: { resolve: { conditions: ['@faust/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Type tests (`*.test-d.ts`, `expectTypeOf`) are compiled by tsc, never
    // run: each tsc error inside a test fails that test, an unused
    // `@ts-expect-error` included; an error in any other file they pull in
    // fails the run.
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.test-d.ts', 'tests/types/**/*.test-d.ts'],
      tsconfig: 'tsconfig.type-tests.json',
    },
    restoreMocks: true,
    // The JSON report feeds scripts/test-summary.js, which prints CI's summary line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    allowOnly: !process.env['CI'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
})
