/** Why the CLI refused to publish or act on a crowd platform (docs/cli.md lists the codes). */
export type CliProviderErrorCode =
  /** A provider flag that does not fit the others (`--sandbox` with prolific, http for MTurk production…). */
  | 'PROVIDER_FLAG_INVALID'
  /** The task pays nothing per unit (`pay` 0): a platform would refuse it, so nothing is published. */
  | 'REWARD_MISSING'
  /** The quote is over `--budget`: nothing was published, nobody was asked. */
  | 'BUDGET_EXCEEDED'
  /** Publishing costs money and nobody can confirm it: stdin is not a terminal and `--yes` was not given. */
  | 'CONFIRMATION_REQUIRED'
  /** No run of the task was published on a platform (`faust reconcile`), or `--run` names none. */
  | 'RUN_NOT_PUBLISHED'
  /** `faust review` was given no action, two actions, or an action without what it needs. */
  | 'REVIEW_ARGS_INVALID'
  /** Some review actions failed on the platform (each is printed). */
  | 'REVIEW_FAILED'

/** An error of the CLI's provider commands, with a stable code. */
export class CliProviderError extends Error {
  readonly code: CliProviderErrorCode

  constructor(code: CliProviderErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'CliProviderError'
    this.code = code
  }
}
