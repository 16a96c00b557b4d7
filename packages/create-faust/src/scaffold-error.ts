/** Why a project could not be created; `code` is stable, the message is for people. */
export type ScaffoldErrorCode = 'TARGET_NOT_EMPTY' | 'UNKNOWN_TEMPLATE' | 'BAD_PROJECT_NAME'

export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError'
  readonly code: ScaffoldErrorCode

  constructor(code: ScaffoldErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
