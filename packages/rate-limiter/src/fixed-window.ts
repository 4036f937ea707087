import { type StateTable, windowStart } from './kernel.js'
import type { RateLimitPolicy } from './policy.js'
import { type RateLimitResult, result } from './result.js'
import type { FixedWindowSnapshot } from './snapshot.js'

/**
 * Fixed window: time is cut into aligned windows `[k·W, (k+1)·W)` and each admits at most `limit` cost
 * units. State per key, 2 doubles: `[windowStart, count]`.
 *
 * Guarantee: at most `limit` admitted in every aligned window. Across a boundary, a sliding window of
 * length W can see up to `2 × limit` (the end of one window plus the start of the next).
 *
 * `resetMs` and `retryAfterMs` are the time to the end of the window.
 */
export function fixedWindow(
  s: Float64Array,
  o: number,
  now: number,
  cost: number,
  commit: boolean,
  limit: number,
  windowMs: number,
): RateLimitResult {
  const stored = s[o]!
  let start = windowStart(now, windowMs, stored)
  let count = s[o + 1]!
  if (start !== stored) {
    // A later window starts from zero; an earlier one means the clock stepped back: stay in the stored one.
    if (start > stored) count = 0
    else start = stored
  }
  const end = start + windowMs
  if (cost > limit) return result(false, limit, limit - count, count > 0 ? end - now : 0, Infinity, 0)
  const used = count + cost
  if (used <= limit) {
    if (commit && cost > 0) {
      s[o] = start
      s[o + 1] = used
    }
    return result(true, limit, limit - used, used > 0 ? end - now : 0, 0, 0)
  }
  return result(false, limit, limit - count, end - now, end - now, 0)
}

export function inspectFixedWindow(
  t: StateTable,
  _slot: number,
  o: number,
  now: number,
  policy: RateLimitPolicy,
): FixedWindowSnapshot {
  const r = fixedWindow(t.s, o, now, 0, false, policy.limit, policy.windowMs)
  const start = windowStart(now, policy.windowMs)
  const stored = t.s[o]!
  const live = start <= stored
  return {
    algorithm: 'fixed-window',
    nowMs: now,
    limit: r.limit,
    remaining: r.remaining,
    resetMs: r.resetMs,
    windowStartMs: live ? stored : start,
    count: live ? t.s[o + 1]! : 0,
  }
}
