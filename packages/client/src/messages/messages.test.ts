import { describe, expect, it } from 'vitest'
import { FailureReason } from '@faust/protocol/constants'
import { TASK_CONFIG, agentDetails, setup } from '@faust/testing/client'
import { getBlockedExplanation } from '../blocked-reason.js'
import { createMessageBook } from './message-book.js'
import { en } from './en.js'
import { es } from './es.js'
import { createMessages, messagesForTaskConfig, refusalKeyOf } from './index.js'

describe('the message catalogues', () => {
  it('gives English by default and Spanish for es, es-MX and es overrides', () => {
    expect(createMessages().text('screen.submitted.title')).toBe('Saved: thank you!')
    expect(createMessages({ locale: 'es' }).text('screen.submitted.title')).toBe(
      'Guardado: ¡gracias!',
    )
    expect(createMessages({ locale: 'es-MX' }).text('screen.error.button')).toBe('Reintentar')
    const custom = createMessages({
      locale: 'es-MX',
      overrides: {
        'es-MX': { 'screen.error.button': 'Otra vez' },
        es: { 'screen.preview.title': 'Vistazo' },
      },
    })
    expect([custom.text('screen.error.button'), custom.text('screen.preview.title')]).toEqual([
      'Otra vez',
      'Vistazo',
    ])
  })

  it('falls back to English for a missing key and a language nobody ships', () => {
    const book = createMessageBook({ en: { a: 'A', b: 'B {n}' }, fr: { a: 'À' } })
    const fr = book({ locale: 'fr' })
    expect([fr.text('a'), fr.text('b', { n: 2 })]).toEqual(['À', 'B 2'])
    const de = createMessages({
      locale: 'de',
      overrides: { de: { 'screen.preview.title': 'Vorschau' } },
    })
    expect([de.text('screen.preview.title'), de.text('screen.error.button')]).toEqual([
      'Vorschau',
      'Retry',
    ])
    // An inherited name is no key of an override table.
    expect(createMessages({ overrides: { en: {} } }).has('constructor')).toBe(false)
  })

  it('replaces {param}s and leaves unknown ones as they are', () => {
    const messages = createMessages()
    expect(messages.text('screen.saving.retrying', { attempt: 3 })).toContain('attempt 3')
    expect(messages.text('blocked.unknown.text')).toContain('(code: {code})')
  })

  it('ships Spanish for every key, each different from the English (so none was forgotten)', () => {
    const untranslated = Object.keys(en).filter(
      (key) => es[key as keyof typeof en] === en[key as keyof typeof en],
    )
    expect(untranslated).toEqual([])
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort())
  })

  it('has a title and a text for every refusal, the English text being the wire text', () => {
    for (const [key, text] of Object.entries(FailureReason)) {
      expect(refusalKeyOf(text)).toBe(key)
      expect(Object.hasOwn(en, `refusal.${key}.title`)).toBe(true)
      expect(en[`refusal.${key}.text` as keyof typeof en]).toBe(text)
    }
    expect(refusalKeyOf('Some other backend text')).toBeNull()
  })

  it('translates getBlockedExplanation, English unless told', () => {
    const spanish = createMessages({ locale: 'es' })
    expect(getBlockedExplanation('no_mobile', spanish)).toBe(es['blocked.no_mobile.text'])
    expect(getBlockedExplanation('banned', spanish)).toBe(
      'Lo sentimos, no puede trabajar en esta tarea. (código: banned)',
    )
  })

  it('reads the locale and overrides of a task config, English without them (Mephisto)', () => {
    expect(messagesForTaskConfig({ locale: 'es' }).text('screen.preview.title')).toBe(
      'Vista previa',
    )
    expect(messagesForTaskConfig(TASK_CONFIG).locale).toBe('en')
    expect(messagesForTaskConfig(null).text('screen.preview.title')).toBe('Preview')
  })
})

describe('a refusal in the task language', () => {
  async function refusedWith(taskConfig: object, failureReason: string) {
    const t = setup()
    const started = t.client.start()
    ;(await t.http.next()).respond(200, { ...TASK_CONFIG, ...taskConfig })
    ;(await t.http.next()).respond(200, agentDetails(null, { failureReason }))
    return started
  }

  it('maps each wire text to its key and shows the catalogue text of the task language', async () => {
    for (const [key, text] of Object.entries(FailureReason)) {
      expect(await refusedWith({}, text)).toMatchObject({
        status: 'blocked',
        blockedReason: 'null_agent_id',
        refusal: key,
        blockedExplanation: text,
      })
      expect(await refusedWith({ locale: 'es' }, text)).toMatchObject({
        refusal: key,
        blockedExplanation: es[`refusal.${key}.text` as keyof typeof es],
      })
    }
  })

  it("uses the task's override, and shows an unknown text verbatim in any language", async () => {
    const overrides = { messages: { es: { 'refusal.BLOCKED.text': 'No, gracias.' } } }
    expect(await refusedWith({ locale: 'es', ...overrides }, FailureReason.BLOCKED)).toMatchObject({
      blockedExplanation: 'No, gracias.',
    })
    expect(await refusedWith({ locale: 'es' }, 'Closed for lunch.')).toMatchObject({
      refusal: null,
      blockedExplanation: 'Closed for lunch.',
    })
  })
})
