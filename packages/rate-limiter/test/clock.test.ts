import { afterEach, describe, expect, it, vi } from 'vitest'
import { tickClock } from '../src/index.js'

describe('tickClock', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('reads Date.now() once per turn, again after 64 reads, and again after a microtask checkpoint', async () => {
    await Promise.resolve() // start from a fresh turn
    let now = 1_000_000
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => now)
    expect(tickClock()).toBe(1_000_000)
    now = 1_000_005
    for (let i = 0; i < 63; i++) expect(tickClock()).toBe(1_000_000)
    expect(spy).toHaveBeenCalledTimes(1)
    expect(tickClock()).toBe(1_000_005) // the 65th read refreshes, so a spinning loop sees time move
    expect(spy).toHaveBeenCalledTimes(2)
    now = 1_000_009
    await Promise.resolve()
    expect(tickClock()).toBe(1_000_009)
  })

  it('never goes backwards', async () => {
    await Promise.resolve()
    let now = 2_000_000
    vi.spyOn(Date, 'now').mockImplementation(() => now)
    expect(tickClock()).toBe(2_000_000)
    now = 1_999_000 // NTP stepped the wall clock back
    await Promise.resolve()
    expect(tickClock()).toBe(2_000_000)
    now = 2_000_001
    await Promise.resolve()
    expect(tickClock()).toBe(2_000_001)
  })
})
