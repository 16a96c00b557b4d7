import { describe, expect, it } from 'vitest'
import { remoteArchitect } from './remote-architect.js'

const token = 'remote-router-secret-0123'

describe('remoteArchitect', () => {
  it.each([
    ['http://router.example:3000', 'http://router.example:3000', 'ws://router.example:3000/'],
    ['http://router.example:3000/', 'http://router.example:3000', 'ws://router.example:3000/'],
    ['https://tasks.example.org', 'https://tasks.example.org', 'wss://tasks.example.org/'],
    ['https://example.org/faust/', 'https://example.org/faust', 'wss://example.org/faust/'],
    ['https://example.org/faust?x=1#y', 'https://example.org/faust', 'wss://example.org/faust/'],
  ])('reaches %s as %s and %s', (url, httpUrl, socketUrl) => {
    const architect = remoteArchitect({ url, token })
    expect(architect.url).toBe(httpUrl)
    expect(architect.access).toEqual({ socketUrl, httpUrl, token })
    // No upload folder: files are downloaded from the router.
    expect(architect.access.uploadDir).toBeUndefined()
  })

  it('refuses what is not an http(s) address, and an empty token', () => {
    expect(() => remoteArchitect({ url: 'router:3000', token })).toThrow(
      /expected an http:\/\/ or https:\/\/ address/,
    )
    expect(() => remoteArchitect({ url: 'not a url', token })).toThrow(/not a URL/)
    expect(() => remoteArchitect({ url: 'ws://router:3000', token })).toThrow(/http/)
    expect(() => remoteArchitect({ url: 'http://router:3000', token: '' })).toThrow(/empty/)
  })
})
