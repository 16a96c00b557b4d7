// Security headers on every page the router serves (issue 9, the smaller
// items): a Content-Security-Policy the task pages pass, nosniff, a
// Referrer-Policy, framing left to `frame-ancestors` (never X-Frame-Options).
import { describe, expect, it } from 'vitest'
import { startTestRouter, type TestRouter } from '@faust/testing'

/** The response headers of a GET, the body read and dropped. */
async function headersOf(t: TestRouter, path: string): Promise<Headers> {
  const response = await fetch(t.router.url + path, { signal: AbortSignal.timeout(5000) })
  await response.arrayBuffer()
  return response.headers
}

/** The policy as directive → sources. */
function directives(policy: string | null): Record<string, string[]> {
  const parsed: Record<string, string[]> = {}
  for (const part of (policy ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name !== undefined && name !== '') parsed[name] = sources
  }
  return parsed
}

describe('security headers', () => {
  it('sends the policy, nosniff and the referrer policy on the task page and its files', async () => {
    await using t = await startTestRouter()
    for (const path of ['/', '/bundle.js', '/task_config.json', '/task_index', '/is_alive']) {
      const headers = await headersOf(t, path)
      expect({
        path,
        nosniff: headers.get('x-content-type-options'),
        referrer: headers.get('referrer-policy'),
        frameOptions: headers.get('x-frame-options'),
        hasPolicy: headers.has('content-security-policy'),
      }).toEqual({
        path,
        nosniff: 'nosniff',
        referrer: 'strict-origin-when-cross-origin',
        frameOptions: null,
        hasPolicy: true,
      })
    }
  })

  it('lets the page run eval (webpack dev builds), https styles and fonts, framed by MTurk', async () => {
    await using t = await startTestRouter()
    const policy = directives((await headersOf(t, '/')).get('content-security-policy'))
    expect(policy['default-src']).toEqual(["'self'"])
    expect(policy['script-src']).toEqual(
      expect.arrayContaining(["'self'", "'unsafe-eval'", "'unsafe-inline'"]),
    )
    expect(policy['style-src']).toEqual(
      expect.arrayContaining(["'self'", "'unsafe-inline'", 'https:']),
    )
    expect(policy['font-src']).toEqual(expect.arrayContaining(['https:']))
    expect(policy['object-src']).toEqual(["'none'"])
    expect(policy['frame-ancestors']).toEqual(["'self'", 'https://*.mturk.com'])
  })

  it('takes other frame ancestors, extra sources, or a whole replacement policy', async () => {
    {
      await using t = await startTestRouter({
        frameAncestors: ['https://app.prolific.com'],
        cspExtra: 'connect-src https://api.example.com; script-src https://cdn.example.com',
      })
      const policy = directives((await headersOf(t, '/')).get('content-security-policy'))
      expect(policy['frame-ancestors']).toEqual(["'self'", 'https://app.prolific.com'])
      expect(policy['connect-src']).toEqual(["'self'", 'https://api.example.com'])
      expect(policy['script-src']).toContain('https://cdn.example.com')
    }
    {
      await using t = await startTestRouter({
        csp: "default-src 'none'",
        cspExtra: 'img-src data:',
      })
      const headers = await headersOf(t, '/')
      expect(headers.get('content-security-policy')).toBe("default-src 'none'; img-src data:")
    }
    {
      await using t = await startTestRouter({ csp: '' })
      const headers = await headersOf(t, '/')
      expect(headers.has('content-security-policy')).toBe(false)
      expect(headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  it('sends the headers on error answers too', async () => {
    await using t = await startTestRouter()
    const response = await fetch(`${t.router.url}/no/such/file.html`, {
      signal: AbortSignal.timeout(5000),
    })
    await response.arrayBuffer()
    expect(response.status).toBe(404)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.has('content-security-policy')).toBe(true)
  })
})
