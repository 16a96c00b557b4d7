// The onboarding quiz: one radio group per question (`q0`, `q1`).
import { useState, type ReactNode } from 'react'
import { readQuiz } from './chat-log.js'
import { usePageMessages } from './messages.js'

export function OnboardingForm(props: {
  readonly quiz: unknown
  /** `handleSubmit`: posts `submit_onboarding` for an onboarding agent. */
  readonly onSubmit: (answers: Record<string, string>) => Promise<void>
}): ReactNode {
  const t = usePageMessages()
  const { instructions, questions } = readQuiz(props.quiz, t.locale)
  const [answers, setAnswers] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const complete = questions.every((_, index) => answers[`q${String(index)}`] !== undefined)
  return (
    <form
      id="onboarding-form"
      onSubmit={(event) => {
        event.preventDefault()
        if (!complete || busy) return
        setBusy(true)
        void props
          .onSubmit(answers)
          .catch(() => undefined)
          .finally(() => setBusy(false))
      }}
    >
      <h2>{t.text('onboarding.title')}</h2>
      <p>{instructions}</p>
      {questions.map((question, index) => {
        const name = `q${String(index)}`
        return (
          <fieldset className="choices" key={name}>
            <legend>{`${String(index + 1)}. ${question.text}`}</legend>
            {question.options.map((option) => (
              <div className="choice" key={option.value}>
                <input
                  type="radio"
                  id={`${name}-${option.value}`}
                  name={name}
                  value={option.value}
                  checked={answers[name] === option.value}
                  onChange={() => setAnswers((all) => ({ ...all, [name]: option.value }))}
                />
                <label htmlFor={`${name}-${option.value}`}>{option.label}</label>
              </div>
            ))}
          </fieldset>
        )
      })}
      <div className="actions">
        <button type="submit" id="onboarding-submit" disabled={!complete || busy}>
          {t.text(busy ? 'form.submitting' : 'onboarding.submit')}
        </button>
      </div>
    </form>
  )
}
