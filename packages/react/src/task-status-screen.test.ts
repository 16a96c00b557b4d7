// @vitest-environment jsdom
import { createElement, type ReactNode } from 'react'
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ClientError,
  memoryStorage,
  type RefusalKey,
  type TaskConfig,
  type TaskState,
} from '@faust/client'
import { agentDetails, register, setup } from '@faust/testing/client'
import { FaustProvider } from './faust-provider.js'
import { TaskStatusScreen } from './task-status-screen.js'
import { useFaustTask } from './use-faust-task.js'
import { useMephistoTask } from './use-mephisto-task.js'

afterEach(cleanup)

const READY: TaskState = {
  status: 'ready',
  providerWorkerId: 'w',
  assignmentId: 'a',
  isPreview: false,
  taskConfig: {},
  mephistoWorkerId: 'mw',
  agentId: 'agent-1',
  mephistoAgentId: 'agent-1',
  isOnboarding: false,
  initialTaskData: null,
  blockedReason: null,
  blockedExplanation: null,
  loaded: true,
  error: null,
}

function show(state: Partial<TaskState>, props: { onRetry?: () => void } = {}): void {
  render(createElement(TaskStatusScreen, { state: { ...READY, ...state }, ...props }, 'THE FORM'))
}

/** The text of the one element with `role`, or null. */
function textOf(role: string): string | null {
  const element: { textContent: string | null } | null = screen.queryByRole(role)
  return element?.textContent ?? null
}

const FORM = (): unknown => screen.queryByText('THE FORM')

describe('TaskStatusScreen', () => {
  it('renders the task while ready', () => {
    show({})
    expect(FORM()).toBeTruthy()
    expect(screen.queryByRole('heading')).toBeNull()
  })

  it('renders a specific screen, without the task, for every other state', () => {
    const cases: [Partial<TaskState>, string, string][] = [
      [{ status: 'loading', loaded: false }, 'loading', 'Loading the task…'],
      [{ status: 'preview', isPreview: true }, 'preview', 'Preview'],
      [
        { status: 'blocked', blockedReason: 'no_mobile', blockedExplanation: 'No phones.' },
        'blocked-no_mobile',
        'Not available on phones and tablets',
      ],
      [
        { status: 'blocked', blockedReason: 'null_agent_id', blockedExplanation: 'No work.' },
        'blocked-null_agent_id',
        'You cannot work on this task right now',
      ],
      [
        { status: 'blocked', blockedReason: 'expired', blockedExplanation: 'Gone.' },
        'blocked-expired',
        'This task has ended',
      ],
      [
        { submission: { state: 'saving', attempts: 1, error: null } },
        'saving',
        'Saving your answers…',
      ],
      [
        { status: 'submitted', submission: { state: 'saved', attempts: 1, error: null } },
        'submitted',
        'Saved: thank you!',
      ],
    ]
    for (const [state, name, title] of cases) {
      show(state)
      expect([name, textOf('heading')]).toEqual([name, title])
      expect(screen.getByRole('region', { name: title })).toBeTruthy()
      expect(FORM()).toBeNull()
      cleanup()
    }
  })

  it('says "already submitted" after a reload, with the stored answer, never the form', () => {
    show({
      status: 'submitted',
      blockedReason: 'already_submitted',
      blockedExplanation: 'You have already submitted this task; your answers are saved.',
      submittedData: { label: 'positive' },
    })
    expect(textOf('heading')).toBe('You have already submitted this task')
    expect(textOf('status')).toContain('Your answers are saved')
    expect(textOf('figure')).toContain('"label": "positive"')
    expect(FORM()).toBeNull()
  })

  it('shows the attempts while a submission keeps being retried, and the explanation when blocked', () => {
    show({ submission: { state: 'saving', attempts: 3, error: null } })
    expect(textOf('status')).toContain('Still trying (attempt 3)')
    cleanup()
    show({ status: 'blocked', blockedReason: 'agent_unknown', blockedExplanation: 'Gone, sorry.' })
    expect(textOf('heading')).toBe('Your answers could not be saved')
    expect(textOf('alert')).toBe('Gone, sorry.')
  })

  it('offers Retry after an error and Try again after a failed submission', () => {
    let retries = 0
    show(
      { status: 'error', loaded: false, error: new ClientError('NETWORK', 'could not reach') },
      { onRetry: () => retries++ },
    )
    expect(textOf('alert')).toBe('could not reach')
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }))
    expect(retries).toBe(1)
    cleanup()
    let resent = 0
    render(
      createElement(TaskStatusScreen, {
        state: {
          ...READY,
          submission: {
            state: 'failed',
            attempts: 6,
            error: new ClientError('NETWORK', 'offline'),
          },
        },
        onRetrySubmission: () => resent++,
      }),
    )
    expect(textOf('alert')).toContain('offline')
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(resent).toBe(1)
  })

  it('moves the focus to the heading of a new screen', () => {
    show({ status: 'loading', loaded: false })
    const { document } = globalThis as unknown as { document: { activeElement: unknown } }
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Loading the task…' }))
  })
})

describe('useFaustTask with the screen', () => {
  function Page(): ReactNode {
    const task = useFaustTask()
    return createElement(
      TaskStatusScreen,
      { state: task.state, onRetry: () => void task.retry() },
      createElement(
        'button',
        { type: 'button', onClick: () => void task.handleSubmit({ n: 1 }).catch(() => undefined) },
        'Submit',
      ),
    )
  }

  it('a reload after submitting shows "already submitted" with the answer the backend kept', async () => {
    const t = setup({ storage: memoryStorage() })
    const answer = agentDetails('agent-1')
    const data = {
      ...(answer['data'] as object),
      agent_status: 'completed',
      submitted_data: { n: 1 },
    }
    await register(t, { ...answer, data })
    render(createElement(FaustProvider, { client: t.client }, createElement(Page)))
    expect(textOf('heading')).toBe('You have already submitted this task')
    expect(screen.queryByRole('button', { name: 'Submit' })).toBeNull()
  })

  it('goes from the form to saving to saved, exposing the submission', async () => {
    const t = setup({ storage: memoryStorage(), random: () => 0 })
    await register(t)
    const seen: string[] = []
    function Spy(): ReactNode {
      seen.push(useFaustTask().submission.state)
      return null
    }
    render(
      createElement(FaustProvider, { client: t.client }, createElement(Page), createElement(Spy)),
    )
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }))
    const request = await t.http.next()
    await waitFor(() => {
      expect(textOf('heading')).toBe('Saving your answers…')
    })
    await act(async () => {
      request.respond(200, { status: 'Submitted!' })
      await Promise.resolve()
    })
    await waitFor(() => {
      expect(textOf('heading')).toBe('Saved: thank you!')
    })
    expect(seen).toEqual(expect.arrayContaining(['idle', 'saving', 'saved']))
  })

  it('useMephistoTask (drop-in) reports a reload after submitting as blocked with the text, and a save as ready', async () => {
    const reloaded = setup({ storage: memoryStorage() })
    const answer = agentDetails('agent-1')
    await register(reloaded, {
      ...answer,
      data: { ...(answer['data'] as object), agent_status: 'completed' },
    })
    const seen: unknown[] = []
    function OldPage(): ReactNode {
      const { status, blockedReason, blockedExplanation } = useMephistoTask()
      seen.push({ status, blockedReason, blockedExplanation })
      return null
    }
    render(createElement(FaustProvider, { client: reloaded.client }, createElement(OldPage)))
    expect(seen.at(-1)).toEqual({
      status: 'blocked',
      blockedReason: 'already_submitted',
      blockedExplanation: 'You have already submitted this task; your answers are saved.',
    })
    cleanup()

    const fresh = setup({ storage: memoryStorage() })
    await register(fresh)
    render(createElement(FaustProvider, { client: fresh.client }, createElement(OldPage)))
    const submitting = fresh.client.submit({ n: 2 })
    ;(await fresh.http.next()).respond(200, { status: 'Submitted!' })
    await act(async () => {
      await submitting
    })
    expect(seen.at(-1)).toEqual({ status: 'ready', blockedReason: null, blockedExplanation: null })
  })
})

describe('TaskStatusScreen in the task language', () => {
  it("gives each refusal its own title, in the task config's language, marked with lang", () => {
    const refused = (refusal: string, taskConfig: TaskConfig = {}): Partial<TaskState> => ({
      status: 'blocked',
      blockedReason: 'null_agent_id',
      refusal: refusal as RefusalKey,
      blockedExplanation: 'Why.',
      taskConfig,
    })
    const titles: [string, string, string][] = [
      [
        'ONBOARDING_FAILED',
        'You did not pass the qualification test',
        'No ha superado la prueba de calificación',
      ],
      ['NO_UNITS_LEFT', 'All of the work is done', 'Todo el trabajo está hecho'],
      [
        'NO_AVAILABLE_UNITS',
        'No work is available right now',
        'Ahora mismo no hay trabajo disponible',
      ],
      ['RUN_PAUSED', 'This task is paused for now', 'Esta tarea está en pausa por ahora'],
      [
        'REGISTRATION_TAKEN',
        'This link belongs to another worker',
        'Este enlace pertenece a otra persona',
      ],
    ]
    for (const [refusal, english, spanish] of titles) {
      show(refused(refusal))
      expect(textOf('heading')).toBe(english)
      cleanup()
      show(refused(refusal, { locale: 'es' }))
      expect(textOf('heading')).toBe(spanish)
      const region = screen.getByRole('region') as unknown as { getAttribute(name: string): string }
      expect(region.getAttribute('lang')).toBe('es')
      cleanup()
    }
    show({ ...refused('BLOCKED'), refusal: null })
    expect(textOf('heading')).toBe('You cannot work on this task right now')
  })

  it("translates every screen's words and buttons, and takes the task's overrides", () => {
    const es = { locale: 'es', messages: { es: { 'screen.error.button': 'Volver a cargar' } } }
    show({ status: 'preview', isPreview: true, taskConfig: es })
    expect(textOf('heading')).toBe('Vista previa')
    cleanup()
    show(
      { status: 'error', loaded: false, taskConfig: es, error: new ClientError('NETWORK', 'x') },
      { onRetry: () => undefined },
    )
    expect(screen.getByRole('button', { name: 'Volver a cargar' })).toBeTruthy()
    cleanup()
    show({ taskConfig: es, submission: { state: 'saving', attempts: 2, error: null } })
    expect(textOf('status')).toContain('intento 2')
    cleanup()
    show({ taskConfig: es, status: 'submitted', submittedData: { a: 1 } })
    expect(textOf('heading')).toBe('Guardado: ¡gracias!')
    expect(screen.getByText('Sus respuestas')).toBeTruthy()
  })
})
