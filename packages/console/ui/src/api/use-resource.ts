// A GET that refetches when the stream names what it shows. Refetches
// coalesce: at most one request is in flight, and one more follows if a change
// arrived meanwhile. The last good data stays on screen while refetching.
import { useCallback, useEffect, useRef, useState } from 'react'
import { getJson } from './client.js'
import { onChanged } from './stream.js'
import type { ChangedEvent } from './types.js'

export interface Resource<T> {
  readonly data: T | undefined
  readonly error: unknown
  readonly loading: boolean
  refetch(): void
}

/** Which changes concern a resource. */
export type ChangeFilter = (event: ChangedEvent) => boolean

/** Any run moved. */
export const anyRun: ChangeFilter = (event) => event.runs.length > 0

/** The run `runId` moved. */
export function runMoved(runId: string): ChangeFilter {
  return (event) => event.runs.includes(runId)
}

/** The audit log grew (or the UI acted). */
export const auditMoved: ChangeFilter = (event) => event.audit !== null || event.runs.length > 0

export function useResource<T>(path: string | null, filter: ChangeFilter): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(path !== null)
  const inFlight = useRef(false)
  const again = useRef(false)
  const current = useRef(path)
  const filterRef = useRef(filter)
  filterRef.current = filter

  const load = useCallback((target: string) => {
    if (inFlight.current) {
      again.current = true
      return
    }
    inFlight.current = true
    setLoading(true)
    getJson<T>(target)
      .then((value) => {
        if (current.current !== target) return
        setData(value)
        setError(null)
      })
      .catch((caught: unknown) => {
        if (current.current === target) setError(caught)
      })
      .finally(() => {
        inFlight.current = false
        setLoading(false)
        if (again.current && current.current !== null) {
          again.current = false
          load(current.current)
        }
      })
  }, [])

  useEffect(() => {
    current.current = path
    setData(undefined)
    setError(null)
    if (path === null) return undefined
    load(path)
    return onChanged((event) => {
      if (filterRef.current(event)) load(path)
    })
  }, [path, load])

  const refetch = useCallback(() => {
    if (current.current !== null) load(current.current)
  }, [load])

  return { data, error, loading, refetch }
}
