import { describe, expect, it } from 'vitest'
import { createLogger } from './logger.js'

describe('createLogger', () => {
  it('never writes a credential, at the top or one level down', () => {
    const lines: string[] = []
    const logger = createLogger('info', { write: (line: string) => lines.push(line) })
    logger.info(
      {
        token: 'secret-1',
        options: { apiToken: 'secret-2', token: 'secret-3' },
        request: { headers: { authorization: 'Token secret-4' } },
        env: { PROLIFIC_API_TOKEN: 'secret-5', AWS_SECRET_ACCESS_KEY: 'secret-6' },
        task: 'label',
      },
      'publishing',
    )
    const text = lines.join('')
    expect(text).not.toMatch(/secret-\d/)
    expect(text).toContain('"task":"label"')
    expect(text).toContain('[redacted]')
  })
})
