// What task code is handed about workers, units and answers: the leaf of the
// definition layer, so the option types and defineTask do not import each other.

/** A worker as task code sees it. */
export interface WorkerInfo {
  readonly id: string
  readonly name: string
  readonly providerType: string
}

/** A unit as task code sees it. */
export interface UnitInfo {
  readonly id: string
  readonly assignmentId: string
  readonly unitIndex: number
  /** The assignment's shared data (one item of the task's data). */
  readonly data: unknown
}

/** What an onboarding `validate` function receives: what was shown and what came back. */
export interface OnboardingAnswers {
  readonly inputs: unknown
  readonly outputs: unknown
}

/** What `onUnitSubmitted` receives. */
export interface SubmittedUnit {
  readonly unit: UnitInfo
  readonly worker: WorkerInfo
  readonly agentId: string
  readonly data: unknown
}
