/** The project templates, and what `npm create faust` says of each. */
export const TEMPLATES = {
  react: 'React + TypeScript page, built with Vite',
  html: 'plain HTML and JavaScript page, no build step',
  jspsych: 'jsPsych 8 experiment (@faust/jspsych), built with Vite',
} as const

/** A template's name: the folder under `templates/` it is copied from. */
export type TemplateName = keyof typeof TEMPLATES

/** The templates in the order they are offered; the first is the default. */
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[]

export function isTemplateName(value: string): value is TemplateName {
  return Object.hasOwn(TEMPLATES, value)
}
