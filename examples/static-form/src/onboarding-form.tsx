// The onboarding quiz: one radio group per question (`q0`, `q1`, …).
import { useState, type ReactNode } from 'react'
import { RadioGroup, useSubmission } from './choices.js'
import { usePageMessages } from './messages.js'
import { readQuiz, translatedLabels } from './task-data.js'
import { ErrorLine } from './views.js'

/** Answers to the quiz, keyed by the input names `q0`, `q1`, … */
export type QuizAnswers = Record<string, string>

export function OnboardingForm(props: {
  /** `init_task_data` of the onboarding agent. */
  readonly quiz: unknown
  /** `handleSubmit`: posts `submit_onboarding` for an onboarding agent. */
  readonly onSubmit: (answers: QuizAnswers) => Promise<void>
}): ReactNode {
  const t = usePageMessages()
  const { instructions, questions } = readQuiz(props.quiz, t.locale, translatedLabels(t))
  const [answers, setAnswers] = useState<QuizAnswers>({})
  const submission = useSubmission()
  const complete = questions.every((_, index) => answers[`q${index}`] !== undefined)

  return (
    <form
      id="onboarding-form"
      noValidate
      aria-labelledby="onboarding-heading"
      aria-busy={submission.busy || undefined}
      onSubmit={(event) => {
        event.preventDefault()
        if (complete) submission.run(() => props.onSubmit(answers))
      }}
    >
      <h2 id="onboarding-heading">{t.text('onboarding.title')}</h2>
      <p>{instructions ?? t.text('onboarding.instructions')}</p>
      {questions.map((question, index) => {
        const name = `q${index}`
        return (
          <RadioGroup
            key={name}
            name={name}
            legend={`${index + 1}. “${question.text}”`}
            options={question.options}
            value={answers[name]}
            onChange={(value) => setAnswers((all) => ({ ...all, [name]: value }))}
          />
        )
      })}
      {submission.error !== null && <ErrorLine message={submission.error} />}
      <div className="actions">
        <button type="submit" id="onboarding-submit" disabled={!complete || submission.busy}>
          {t.text(submission.busy ? 'form.submitting' : 'onboarding.submit')}
        </button>
      </div>
    </form>
  )
}
