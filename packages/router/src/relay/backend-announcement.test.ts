import { faustAliveData } from '@faust/protocol'
import { describe, expect, it } from 'vitest'
import { BackendAnnouncement } from './backend-announcement.js'

describe('BackendAnnouncement', () => {
  it('starts not announced, holding submissions until a backend says what it speaks', () => {
    const announcement = new BackendAnnouncement()
    expect([announcement.acks, announcement.holdsSubmissions]).toEqual([false, true])
    expect(announcement.unknownMayBeKnownSoon).toBe(true)
  })

  it('an extension backend: known only after faust_announced, on every connection', () => {
    const announcement = new BackendAnnouncement()
    expect(announcement.attached(faustAliveData())).toBe(true)
    expect([announcement.acks, announcement.unknownMayBeKnownSoon]).toEqual([true, true])
    announcement.announced()
    expect(announcement.unknownMayBeKnownSoon).toBe(false)
    announcement.detached()
    // Still holds (the last backend spoke the extension), and stays announced while away.
    expect([announcement.acks, announcement.holdsSubmissions]).toEqual([false, true])
    expect(announcement.unknownMayBeKnownSoon).toBe(false)
    announcement.attached(faustAliveData())
    expect(announcement.unknownMayBeKnownSoon).toBe(true)
  })

  it("Mephisto's backend (nothing announced, or an unknown version) counts as announced at once", () => {
    for (const data of [{}, undefined, { faust_extensions: { stored_acks: 2 } }]) {
      const announcement = new BackendAnnouncement()
      expect(announcement.attached(data)).toBe(false)
      expect(announcement.holdsSubmissions).toBe(false)
      expect(announcement.unknownMayBeKnownSoon).toBe(false)
    }
  })
})
