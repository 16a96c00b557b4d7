// The runs list, shared by every run-scoped view (there is no one-run endpoint).
import type { RunRow } from './types.js'
import { anyRun, useResource, type Resource } from './use-resource.js'

export function useRuns(): Resource<readonly RunRow[]> {
  return useResource<readonly RunRow[]>('/api/runs', anyRun)
}

/** One run from the list, `undefined` while loading, `null` when unknown. */
export function useRun(runId: string): { run: RunRow | null | undefined; error: unknown } {
  const runs = useRuns()
  if (runs.data === undefined) return { run: undefined, error: runs.error }
  return { run: runs.data.find((r) => r.runId === runId) ?? null, error: runs.error }
}
