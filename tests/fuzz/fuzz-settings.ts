import type { Parameters } from 'fast-check'

/**
 * Runs per property, from FAUST_FUZZ_RUNS: the default keeps the whole fuzz
 * suite well under 30 s on a shared 2-core machine; soak with e.g.
 * `FAUST_FUZZ_RUNS=5000 npx vitest run tests/fuzz`. FAUST_FUZZ_SEED replays
 * the seed fast-check prints with a failure.
 */
export function fuzzParameters(defaultRuns: number): Parameters<unknown> {
  const runs = Number(process.env['FAUST_FUZZ_RUNS'] ?? defaultRuns)
  const seed = process.env['FAUST_FUZZ_SEED']
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    endOnFailure: true,
  }
}

/** A fuzz test's own time limit: FAUST_FUZZ_RUNS may make it much longer than a unit test. */
export function fuzzTimeout(defaultRuns: number): number {
  const runs = Number(process.env['FAUST_FUZZ_RUNS'] ?? defaultRuns)
  return Math.max(20_000, (Number.isFinite(runs) ? runs : defaultRuns) * 200)
}
