// The page, in plain JavaScript. `createTaskClient` loads task_config.json,
// registers the worker and submits; every state in which the worker cannot
// work yet (loading, preview, refused, saving, saved, errors) gets a screen
// in the task's language, from the client's own texts.
import { blockedTitle, createTaskClient, messagesForTaskConfig } from './faust-client.js'

const client = createTaskClient()
const title = document.getElementById('title')
const content = document.getElementById('content')
let shown = null

client.subscribe(() => render(client.getSnapshot()))
render(client.getSnapshot())
void client.start()

function render(state) {
  const messages = messagesForTaskConfig(state.taskConfig)
  const taskTitle = state.taskConfig?.task_title
  if (typeof taskTitle === 'string') title.textContent = document.title = taskTitle
  const screen = screenFor(state, messages)
  const key = screen === null ? 'task' : screen.id
  // Drawn again only when the screen changes, so a half-filled form stays as it is.
  if (key === shown) return
  shown = key
  content.replaceChildren(screen === null ? taskForm(state.initialTaskData) : section(screen))
}

/** The screen for a state in which there is no task to work on; null when there is. */
function screenFor(state, m) {
  const submission = state.submission?.state
  if (submission === 'saving') return { id: 'saving', title: m.text('screen.saving.title') }
  if (state.status === 'submitted' || submission === 'saved') {
    return {
      id: 'submitted',
      title: m.text('screen.submitted.title'),
      text: m.text('screen.submitted.text'),
    }
  }
  if (submission === 'failed' && state.status !== 'blocked') {
    const error = state.submission.error?.message ?? m.text('screen.failed.unconfirmed')
    return {
      id: 'failed',
      title: m.text('screen.failed.title'),
      text: m.text('screen.failed.text', { error }),
      button: { label: m.text('screen.failed.button'), onClick: () => client.retrySubmission() },
    }
  }
  switch (state.status) {
    case 'loading':
      return { id: 'loading', title: m.text('screen.loading.title') }
    case 'preview':
      return {
        id: 'preview',
        title: m.text('screen.preview.title'),
        text: m.text('screen.preview.text'),
      }
    case 'blocked':
      return { id: 'blocked', title: blockedTitle(state, m), text: state.blockedExplanation }
    case 'error':
      return {
        id: 'error',
        title: m.text('screen.error.title'),
        text: state.error?.message,
        button: { label: m.text('screen.error.button'), onClick: () => client.retry() },
      }
    default:
      return null
  }
}

function section({ id, title, text, button }) {
  const region = document.createElement('section')
  region.dataset.faustState = id
  const heading = document.createElement('h2')
  heading.textContent = title
  region.append(heading)
  if (text) {
    const paragraph = document.createElement('p')
    paragraph.textContent = text
    region.append(paragraph)
  }
  if (button) {
    const element = document.createElement('button')
    element.type = 'button'
    element.textContent = button.label
    element.addEventListener('click', button.onClick, { once: true })
    region.append(element)
  }
  return region
}

/** The form, from the <template> in index.html, filled with the unit's sentence. */
function taskForm(sentence) {
  const form = document.getElementById('task-form').content.firstElementChild.cloneNode(true)
  form.querySelector('blockquote').textContent = sentence.text
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const fields = new FormData(form)
    form.querySelector('button').disabled = true
    // Resolves once the router has stored the answer; the screens show the rest.
    void client.submit({ grammatical: fields.get('grammatical'), comment: fields.get('comment') })
  })
  return form
}
