import type { RateLimitResult } from '../result.js'
import { type RedisRateLimitResult, sourced } from './result.js'

interface Block {
  // performance.now() values: Redis gave durations, and they are counted down on this process's
  // monotonic clock, so neither clock's offset from the other matters.
  readonly until: number
  readonly resetAt: number
  readonly cost: number
  readonly limit: number
  readonly remaining: number
}

/**
 * Keys Redis said are blocked, answered in-process until the block ends: a client hammering a blocked
 * key costs no round trip at all. A rejection of cost c with `retryAfterMs` r means every request of
 * cost ≥ c is rejected for r ms (each algorithm's wait grows with the cost), unless someone resets the
 * key meanwhile. Bounded: past `max` keys the oldest block is dropped (it only costs a round trip).
 */
export class BlockCache {
  readonly #max: number
  readonly #blocks = new Map<string, Block>()

  constructor(max: number) {
    this.#max = max
  }

  get(key: string, cost: number): RedisRateLimitResult | undefined {
    if (this.#blocks.size === 0) return undefined
    const b = this.#blocks.get(key)
    // A cost above the capacity is rejected forever (retryAfterMs: Infinity): Redis says so, not the cache.
    if (b === undefined || cost < b.cost || cost > b.limit) return undefined
    const now = performance.now()
    if (now >= b.until) {
      this.#blocks.delete(key)
      return undefined
    }
    const retryAfterMs = Math.ceil(b.until - now)
    const resetMs = Math.max(Math.ceil(b.resetAt - now), retryAfterMs)
    return sourced(false, b.limit, b.remaining, resetMs, retryAfterMs, 0, 'cache')
  }

  /** Records a rejection (finite `retryAfterMs`) of `cost`. */
  set(key: string, cost: number, r: RateLimitResult): void {
    const now = performance.now()
    const blocks = this.#blocks
    if (blocks.has(key)) blocks.delete(key)
    else if (blocks.size >= this.#max) blocks.delete(blocks.keys().next().value as string)
    blocks.set(key, {
      until: now + r.retryAfterMs,
      resetAt: now + r.resetMs,
      cost,
      limit: r.limit,
      remaining: r.remaining,
    })
  }

  delete(key: string): void {
    this.#blocks.delete(key)
  }

  get size(): number {
    return this.#blocks.size
  }
}
