import { describe, expect, it } from 'vitest'
import { RateLimiter, rateLimitHeaders } from '../src/index.js'
import { FakeClock } from './helpers.js'

describe('rateLimitHeaders', () => {
  const clock = new FakeClock(1_700_000_000_000)
  const limiter = new RateLimiter({
    algorithm: 'fixed-window',
    limit: 100,
    windowMs: 60_000,
    clock: clock.now,
  })

  it('writes the IETF draft fields and the legacy ones', () => {
    clock.t = 1_700_000_023_000 // 17 s before the window ends
    const r = limiter.limit('a', { cost: 58 })
    expect(rateLimitHeaders(r, limiter.policy, { now: 1_700_000_023_000 })).toEqual({
      'RateLimit-Policy': '"default";q=100;w=60',
      RateLimit: '"default";r=42;t=17',
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '42',
      'X-RateLimit-Reset': '1700000040',
    })
  })

  it('adds Retry-After on rejection, rounded up, and omits it when no wait helps', () => {
    const r = limiter.limit('a', { cost: 50 })
    expect(r.allowed).toBe(false)
    expect(rateLimitHeaders(r, limiter.policy, { legacy: false })).toEqual({
      'RateLimit-Policy': '"default";q=100;w=60',
      RateLimit: '"default";r=42;t=17',
      'Retry-After': '17',
    })
    const never = limiter.limit('a', { cost: 101 })
    expect(rateLimitHeaders(never, limiter.policy, { legacy: false })['Retry-After']).toBeUndefined()
    const soon = { ...r, retryAfterMs: 1 }
    expect(rateLimitHeaders(soon, limiter.policy, { draft: false })['Retry-After']).toBe('1')
  })

  it('names the policy and can send the legacy reset as seconds from now', () => {
    const named = new RateLimiter({ algorithm: 'gcra', limit: 10, windowMs: 1500, burst: 20, name: 'api' })
    const r = named.limit('k')
    expect(rateLimitHeaders(r, named.policy, { legacyReset: 'delta-seconds' })).toEqual({
      'RateLimit-Policy': '"api";q=10;w=2',
      RateLimit: '"api";r=19;t=1',
      'X-RateLimit-Limit': '20',
      'X-RateLimit-Remaining': '19',
      'X-RateLimit-Reset': '1',
    })
    expect(rateLimitHeaders(r, { limit: 5, windowMs: 1000 }, { legacy: false })).toEqual({
      'RateLimit-Policy': '"default";q=5;w=1',
      RateLimit: '"default";r=19;t=1',
    })
  })
})
