import type { Repositories } from '../../store/repositories.js'
import type { WorkerRecord } from '../../store/workers-repository.js'
import type { RunContext } from '../context/run-context.js'
import {
  meetsRequirement,
  type QualificationRequirement,
} from '../../definition/qualification-requirement.js'
import type { QualityControl } from '../quality/quality-control.js'

/** Why {@link Eligibility.refusal} refuses a worker. */
export type QualificationRefusal = 'BLOCKED' | 'ONBOARDING_FAILED' | 'NOT_QUALIFIED'

/**
 * Whether a worker may be given work at all (docs/protocol.md §4.2 steps 2–3): its local
 * qualifications, and the run's `allowedConcurrent` and
 * `maximumUnitsPerWorker` limits. Reads through the repositories it is
 * given, so it works inside a group commit as well as outside.
 */
export class Eligibility {
  readonly #ctx: RunContext
  /** Missing qualifications already warned about, once each per run. */
  readonly #warnedMissing = new Set<string>()

  readonly #quality: QualityControl | null

  constructor(ctx: RunContext, quality: QualityControl | null = null) {
    this.#ctx = ctx
    this.#quality = quality
  }

  /**
   * Local qualifications (docs/protocol.md §4.2 step 2), plus the block and
   * failed-onboarding ones: null when the worker may work, else why not, so
   * the page can say it (a blocked worker and a failed onboarding are told
   * apart from a missing qualification, unlike the reference).
   */
  async refusal(
    db: Repositories,
    worker: WorkerRecord | null,
  ): Promise<QualificationRefusal | null> {
    const { task, provider, logger } = this.#ctx
    // The block first: a blocked worker is told so whatever else it lacks.
    const requirements: [QualificationRefusal, QualificationRequirement][] = [
      ['BLOCKED', { qualificationName: task.blockQualification, comparator: 'DoesNotExist' }],
    ]
    if (task.onboarding !== undefined) {
      requirements.push([
        'ONBOARDING_FAILED',
        {
          qualificationName: `${task.onboarding.qualificationName}-failed`,
          comparator: 'DoesNotExist',
        },
      ])
    }
    for (const requirement of [...task.qualifications, ...(this.#quality?.requirements() ?? [])])
      requirements.push(['NOT_QUALIFIED', requirement])
    const { known: knownNames, values } = await db.qualifications.lookup(
      requirements.map(([, requirement]) => requirement.qualificationName),
      // A worker without a row yet has no grants.
      worker?.id ?? null,
    )
    for (const [reason, requirement] of requirements) {
      if (requirement.applicableProviders?.includes(provider.type) === false) continue
      if (!knownNames.has(requirement.qualificationName)) {
        // As in the reference: a qualification nobody ever created is skipped.
        // For DoesNotExist that is simply the rule being met (the default
        // 'blocked' before anyone was blocked): nothing to warn about.
        if (
          requirement.comparator !== 'DoesNotExist' &&
          !this.#warnedMissing.has(requirement.qualificationName)
        ) {
          this.#warnedMissing.add(requirement.qualificationName)
          logger.warn(
            { qualification: requirement.qualificationName },
            'qualification does not exist yet; not checked',
          )
        }
        continue
      }
      if (!meetsRequirement(requirement, values.get(requirement.qualificationName))) return reason
    }
    return null
  }

  /** `allowedConcurrent` and `maximumUnitsPerWorker` (docs/protocol.md §4.2 step 3), told apart unlike the reference. */
  async limitReached(
    db: Repositories,
    workerId: string,
  ): Promise<'TOO_MANY_CONCURRENT' | 'MAX_FOR_TASK' | null> {
    const { task, taskRunId } = this.#ctx
    // Counting is only needed when a limit is set (it joins across runs).
    if (task.allowedConcurrent <= 0 && task.maximumUnitsPerWorker <= 0) return null
    const counts = await db.units.countForWorker({ taskRunId, workerId })
    if (task.allowedConcurrent > 0 && counts.assignedInRun >= task.allowedConcurrent)
      return 'TOO_MANY_CONCURRENT'
    if (
      task.maximumUnitsPerWorker > 0 &&
      counts.assignedInRun + counts.finishedInTask >= task.maximumUnitsPerWorker
    )
      return 'MAX_FOR_TASK'
    return null
  }
}
