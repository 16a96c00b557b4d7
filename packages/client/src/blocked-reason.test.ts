import { describe, expect, it } from 'vitest'
import { getBlockedExplanation, isMobileUserAgent } from './blocked-reason.js'

describe('blocked reasons', () => {
  it("gives mephisto-task's texts", () => {
    expect(getBlockedExplanation('no_mobile')).toBe(
      'Sorry, this task cannot be completed on mobile devices. Please use a computer.',
    )
    expect(getBlockedExplanation('no_websockets')).toBe(
      'Sorry, your browser does not support the required version of websockets for this task. Please upgrade to a modern browser.',
    )
    expect(getBlockedExplanation('banned')).toBe(
      'Sorry, you are not able to work on this task. (code: banned)',
    )
    expect(getBlockedExplanation('constructor')).toBe(
      'Sorry, you are not able to work on this task. (code: constructor)',
    )
  })

  it('recognises phones and tablets by the reference pattern', () => {
    expect(isMobileUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8)')).toBe(true)
    expect(isMobileUserAgent('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)')).toBe(true)
    expect(isMobileUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0')).toBe(false)
  })
})
