/** The `mephisto-task` version this wire contract matches. */
export const MEPHISTO_TASK_VERSION = '2.0.4'

/**
 * The reference router's exact `version-mismatch` text, sent to the backend as
 * a `log_error` when a page asks for `task_config.json` with another version.
 */
export function versionMismatchText(sent: string | undefined): string {
  return (
    `Package \`mephisto-task\` version mismatch. Expected version ${MEPHISTO_TASK_VERSION} but frontend is currently using ${String(sent)}. ` +
    `This may cause unexpected errors, be sure to update your \`mephisto-task\` dependency with \`npm install mephisto-task@${MEPHISTO_TASK_VERSION} --save\`. ` +
    `If this warning still persists or the version isn't found, please open an issue at https://github.com/facebookresearch/Mephisto/issues`
  )
}
