import { describe, expect, test } from 'vitest'
import { createVerifier, sign } from '../src/index.js'
import * as web from '../src/web.js'
import { codeOf, KEY256, NOW, NOW_MS } from './helpers.js'

function clock(start = NOW_MS) {
  const c = { ms: start, now: () => c.ms }
  return c
}
const token = (claims: Record<string, unknown>) => sign(claims, KEY256, { noTimestamp: true })

describe('verified-token cache', () => {
  test('a hit returns the same frozen result; the payload cannot be mutated through it', () => {
    const verifier = createVerifier({ key: KEY256, now: NOW_MS, cache: true })
    const t = token({ exp: NOW + 60, roles: ['a'] })
    const first = verifier(t)
    expect(verifier(t)).toBe(first)
    expect(Object.isFrozen(first.payload)).toBe(true)
    expect(Object.isFrozen(first.payload.roles)).toBe(true)
    expect(() => {
      ;(first.payload as { exp: number }).exp = 1
    }).toThrow(TypeError)
  })

  test('without a cache every call returns fresh, mutable objects', () => {
    const verifier = createVerifier({ key: KEY256, now: NOW_MS })
    const t = token({ exp: NOW + 60 })
    expect(verifier(t)).not.toBe(verifier(t))
    expect(Object.isFrozen(verifier(t).payload)).toBe(false)
  })

  test('an entry never outlives exp: at exp the full check runs and says expired', () => {
    const c = clock()
    const verifier = createVerifier({ key: KEY256, now: c.now, cache: 10 })
    const t = token({ exp: NOW + 60 })
    const r = verifier(t)
    c.ms = NOW_MS + 59_999
    expect(verifier(t)).toBe(r)
    c.ms = NOW_MS + 60_000
    expect(codeOf(() => verifier(t))).toBe('ERR_JWT_EXPIRED')
  })

  test('with clockTolerance the full check may still accept after exp, but the cache does not keep it', () => {
    const c = clock(NOW_MS + 61_000)
    const verifier = createVerifier({ key: KEY256, now: c.now, cache: 10, clockTolerance: 5 })
    const t = token({ exp: NOW + 60 })
    const a = verifier(t)
    expect(verifier(t)).not.toBe(a)
  })

  test('maxAge bounds an entry as well', () => {
    const c = clock()
    const verifier = createVerifier({ key: KEY256, now: c.now, cache: 10, maxAge: 30 })
    const t = token({ exp: NOW + 3600, iat: NOW })
    const r = verifier(t)
    c.ms = NOW_MS + 29_000
    expect(verifier(t)).toBe(r)
    c.ms = NOW_MS + 30_000
    expect(codeOf(() => verifier(t))).toBe('ERR_JWT_EXPIRED')
  })

  test('a clock set back before nbf does not resurrect a cached token', () => {
    const c = clock(NOW_MS + 10_000)
    const verifier = createVerifier({ key: KEY256, now: c.now, cache: 10 })
    const t = token({ exp: NOW + 60, nbf: NOW + 5 })
    verifier(t)
    c.ms = NOW_MS
    expect(codeOf(() => verifier(t))).toBe('ERR_JWT_NOT_YET_VALID')
  })

  test('tokens without exp are never cached', () => {
    const verifier = createVerifier({ key: KEY256, now: NOW_MS, cache: true, requiredClaims: [] })
    const t = token({ sub: 'forever' })
    expect(verifier(t)).not.toBe(verifier(t))
  })

  test('the cache is bounded: the oldest entry goes first', () => {
    const verifier = createVerifier({ key: KEY256, now: NOW_MS, cache: 2 })
    const [t1, t2, t3] = [1, 2, 3].map((n) => token({ exp: NOW + 60, n }))
    const r1 = verifier(t1!)
    const r2 = verifier(t2!)
    verifier(t3!)
    expect(verifier(t2!)).toBe(r2)
    expect(verifier(t1!)).not.toBe(r1)
  })

  test('isRevoked runs on every hit, so revoking a cached token takes effect at once', () => {
    const revoked = new Set<string>()
    const verifier = createVerifier({
      key: KEY256,
      now: NOW_MS,
      cache: true,
      isRevoked: (p) => revoked.has(p.jti ?? ''),
    })
    const t = token({ exp: NOW + 60, jti: 'j1' })
    verifier(t)
    revoked.add('j1')
    expect(codeOf(() => verifier(t))).toBe('ERR_JWT_REVOKED')
  })

  test('failures are not cached, and a cached token with a changed byte is a different token', () => {
    const verifier = createVerifier({ key: KEY256, now: NOW_MS, cache: true })
    const t = token({ exp: NOW + 60 })
    verifier(t)
    const flipped = `${t.slice(0, -2)}${t.at(-2) === 'A' ? 'B' : 'A'}${t.at(-1)}`
    expect(codeOf(() => verifier(flipped))).toBe('ERR_JWS_SIGNATURE_INVALID')
    expect(codeOf(() => verifier(flipped))).toBe('ERR_JWS_SIGNATURE_INVALID')
    expect(codeOf(() => verifier(`${t}x`))).toBe('ERR_JWS_SIGNATURE_INVALID')
  })

  test('the length limit still applies before hashing', () => {
    const verifier = createVerifier({ key: KEY256, now: NOW_MS, cache: true })
    expect(codeOf(() => verifier('x'.repeat(10_000)))).toBe('ERR_JWT_TOO_LONG')
    expect(codeOf(() => verifier(undefined as never))).toBe('ERR_JWT_MALFORMED')
  })

  test('clearCache forgets everything', () => {
    const verifier = createVerifier({ key: KEY256, now: NOW_MS, cache: true })
    const t = token({ exp: NOW + 60 })
    const r = verifier(t)
    verifier.clearCache()
    expect(verifier(t)).not.toBe(r)
  })

  test('the cache option is validated', () => {
    expect(() => createVerifier({ key: KEY256, cache: 0 })).toThrow(
      /`cache` must be true, false or a positive integer/,
    )
    expect(() => createVerifier({ key: KEY256, cache: 1.5 })).toThrow(RangeError)
    expect(() => createVerifier({ key: KEY256, cache: false })).not.toThrow()
  })

  test('the web entry caches the same way', async () => {
    const c = clock()
    const verifier = web.createVerifier({ key: KEY256, now: c.now, cache: true })
    const t = token({ exp: NOW + 60 })
    const r = await verifier(t)
    expect(await verifier(t)).toBe(r)
    c.ms = NOW_MS + 60_000
    await expect(verifier(t)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' })
  })
})
