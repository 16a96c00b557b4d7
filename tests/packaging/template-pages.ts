// A worker doing one unit of each template's page in Chromium, as a person
// would: by the labels and buttons the page shows.
import type { Page } from 'playwright-core'

export type TemplateName = 'react' | 'html' | 'jspsych'

/** What the stored submission of {@link doOneUnit} holds. */
export const EXPECTED_ANSWER: Readonly<Record<TemplateName, unknown>> = {
  react: { grammatical: 'yes', comment: 'reads fine' },
  html: { grammatical: 'yes', comment: 'reads fine' },
  // The first block of data.jsonl, every string called a word.
  jspsych: { format: 'faust-jspsych/1', trial_data: 'final' },
}

/** Works through the page's first unit and waits for the page to say it is saved. */
export async function doOneUnit(page: Page, template: TemplateName): Promise<void> {
  if (template === 'jspsych') {
    await page.getByRole('button', { name: 'Start' }).click()
    for (const word of ['house', 'blick', 'river', 'plome']) {
      await page.getByText(word, { exact: true }).waitFor()
      await page.getByRole('button', { name: 'Word', exact: true }).click()
    }
  } else {
    await page.getByText('The cat sat on the mat.').waitFor()
    await page.getByLabel('Yes').check()
    await page.getByLabel('Comment (optional)').fill('reads fine')
    await page.getByRole('button', { name: 'Submit' }).click()
  }
  await page.locator('[data-faust-state="submitted"]').waitFor()
  await page.getByText('Saved: thank you!').waitFor()
}
