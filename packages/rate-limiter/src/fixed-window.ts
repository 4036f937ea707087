import { type StateTable, windowStart } from './kernel.js'
import type { RateLimitPolicy } from './policy.js'
import { type RateLimitResult, Result } from './result.js'
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
  const used = count + cost
  // One result object built at the end (not one per outcome): the fewer bytes of bytecode a kernel has, the more
  // of a check V8 inlines into the caller's loop, where the result object can then be optimized away.
  let allowed = false
  let remaining = limit - count
  let resetMs = end - now
  let retryAfterMs = end - now
  if (cost > limit) {
    if (count === 0) resetMs = 0
    retryAfterMs = Number.POSITIVE_INFINITY
  } else if (used <= limit) {
    if (commit && cost > 0) {
      s[o] = start
      s[o + 1] = used
    }
    allowed = true
    remaining = limit - used
    if (used === 0) resetMs = 0
    retryAfterMs = 0
  }
  return new Result(allowed, limit, remaining, resetMs, retryAfterMs, 0)
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
