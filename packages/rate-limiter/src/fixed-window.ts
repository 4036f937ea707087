import { max, type StateTable, windowStart } from './kernel.js'
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
  let start = s[o]!
  let count = s[o + 1]!
  // A later window starts from zero (the stored start is aligned, 0 for a new key). Before the stored
  // window, the clock stepped back: stay in it. Inside it (a busy key), no remainder is computed.
  if (now - start >= windowMs) {
    // windowStart(now, windowMs), written out: a call V8 does not inline (rare: once per window for a busy
    // key) returns a boxed number, and merging it with `start` would box every check's `start`. Here
    // now ≥ windowMs > 0 (the stored start is never negative), so the remainder is too.
    start = now - (now % windowMs)
    count = 0
  }
  const used = count + cost
  // Always positive; the max tells V8 so (see the note in kernel.ts on numbers in results).
  const toEnd = max(0, start + windowMs - now)
  // One result object, built at the end (see the note in kernel.ts); a cost above the limit is rejected too.
  let allowed = false
  let remaining = limit - count
  let resetMs = toEnd
  let retryAfterMs = toEnd
  if (used <= limit) {
    if (commit && cost > 0) {
      s[o] = start
      s[o + 1] = used
    }
    allowed = true
    remaining = limit - used
    if (used === 0) resetMs = 0
    retryAfterMs = 0
  } else if (cost > limit) {
    if (count === 0) resetMs = 0
    retryAfterMs = Number.POSITIVE_INFINITY
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
