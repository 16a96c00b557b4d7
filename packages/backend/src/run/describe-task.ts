import type { TaskDefinition } from '../definition/define-task.js'

/** What is stored as the run's configuration (functions are named, not kept). */
export function describeTask(task: TaskDefinition): Record<string, unknown> {
  return {
    name: task.name,
    taskType: task.taskType,
    page: task.page,
    data: typeof task.data === 'string' ? task.data : `${String(task.data.length)} items`,
    unitsPerAssignment: task.unitsPerAssignment,
    pay: task.pay,
    ...(task.live === undefined
      ? {}
      : {
          waitingRoomSeconds: task.live.waitingRoomSeconds,
          submissionTimeoutSeconds: task.live.submissionTimeoutSeconds,
        }),
    qualifications: task.qualifications,
    maximumUnitsPerWorker: task.maximumUnitsPerWorker,
    allowedConcurrent: task.allowedConcurrent,
    maxConcurrentUnits: task.maxConcurrentUnits,
    assignmentDurationSeconds: task.assignmentDurationSeconds,
    blockQualification: task.blockQualification,
    onboardingQualification: task.onboarding?.qualificationName,
    ...describeQuality(task),
    workerCanDoUnit: task.workerCanDoUnit !== undefined,
    remoteProcedures: Object.keys(task.remoteProcedures),
    remoteProcedureTimeoutSeconds: task.remoteProcedureTimeoutSeconds,
  }
}

/** Screening and golds (quality-control.ts), as stored. */
function describeQuality(task: TaskDefinition): Record<string, unknown> {
  const { screening, golds } = task
  return {
    screening: screening && {
      passedQualification: screening.passedQualification,
      blockQualification: screening.blockQualification,
      maxUnits: screening.maxUnits,
      validatesFirstUnit: screening.data === false,
    },
    golds: golds && {
      qualificationBase: golds.qualificationBase,
      minGolds: golds.minGolds,
      maxIncorrect: golds.maxIncorrect,
      maxUnits: golds.maxUnits,
    },
  }
}
