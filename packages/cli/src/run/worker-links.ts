/**
 * One link per unit for the mock provider: its page script reads `worker_id`
 * and `assignment_id` from the URL (`worker-1`, `worker-2`, … so each link is
 * a different worker).
 */
export function workerLinks(url: string, units: readonly { readonly id: string }[]): string[] {
  return units.map((unit, index) => {
    const query = new URLSearchParams({
      worker_id: `worker-${String(index + 1)}`,
      assignment_id: unit.id,
    })
    return `${url}/?${query.toString()}`
  })
}
