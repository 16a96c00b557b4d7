import { describe, expect, it } from 'vitest'
import { launchBrowser } from './browser.js'

describe('browser launcher', () => {
  it('launches Debian Chromium headless and renders a page', async () => {
    await using chrome = await launchBrowser()
    const context = await chrome.newContext()
    const page = await context.newPage()
    await page.setContent('<p id="hello">hello</p>')
    expect(await page.textContent('#hello')).toBe('hello')
    expect(chrome.browser.version()).toMatch(/^\d+\./)
  })
})
