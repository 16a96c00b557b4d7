import type { RegistrationResult } from '../link/registration-answer.js'
import type { RunContext } from '../services/context/run-context.js'

/**
 * A part of a run that plugs into its packets: remote procedures today, and
 * next resume and the console (screening and golds are not a feature: the
 * worker pool and the runner take their QualityControl explicitly). A {@link TaskRun} calls the
 * hooks of its features in order; every hook is optional.
 */
export interface RunFeature {
  /** Names the feature in logs and errors. */
  readonly name: string
  /** Registration hook: sees (and may extend) a registration's or an onboarding's answer before it is sent. */
  registered?(result: RegistrationResult): Promise<RegistrationResult>
  /**
   * Live-update hook: takes an update from a page and resolves once it is
   * taken in; returns `undefined` to leave it to the next feature (and
   * finally to the runner).
   */
  liveUpdate?(
    subjectId: string,
    update: Readonly<Record<string, unknown>>,
  ): Promise<void> | undefined
  /** Submission hook: a unit's submission was handled (stored, or refused as late or repeated). */
  submitted?(agentId: string): Promise<void>
  /** An agent's unit ended (its final status was pushed): what was kept in memory for it goes. */
  agentEnded?(subjectId: string): void
  /** The run is stopping: stop serving, finish what is in flight. */
  close?(): Promise<void>
  /** Sizes of the feature's per-agent state (see TaskRunHandle.stats). */
  stats?(): Readonly<Record<string, number>>
}

/** What a feature is built from: the run's context and a way to send live data to a page. */
export interface FeatureParts {
  readonly ctx: RunContext
  sendLiveUpdate(subjectId: string, data: Record<string, unknown>): void
}

/** A run's features, called as one. */
export class RunFeatures {
  readonly #features: readonly RunFeature[]

  constructor(features: readonly RunFeature[]) {
    this.#features = features
  }

  async registered(result: RegistrationResult): Promise<RegistrationResult> {
    let answer = result
    for (const feature of this.#features) {
      if (feature.registered !== undefined) answer = await feature.registered(answer)
    }
    return answer
  }

  /** The first feature that takes the update; `undefined` when none does. */
  liveUpdate(
    subjectId: string,
    update: Readonly<Record<string, unknown>>,
  ): Promise<void> | undefined {
    for (const feature of this.#features) {
      const taken = feature.liveUpdate?.(subjectId, update)
      if (taken !== undefined) return taken
    }
    return undefined
  }

  async submitted(agentId: string): Promise<void> {
    for (const feature of this.#features) await feature.submitted?.(agentId)
  }

  agentEnded(subjectId: string): void {
    for (const feature of this.#features) feature.agentEnded?.(subjectId)
  }

  async close(): Promise<void> {
    for (const feature of this.#features) await feature.close?.()
  }

  stats(): Record<string, number> {
    const sizes: Record<string, number> = {}
    for (const feature of this.#features) Object.assign(sizes, feature.stats?.())
    return sizes
  }
}
