import { type StateTable, windowStart } from './kernel.js'
import type { RateLimitPolicy } from './policy.js'
import { type RateLimitResult, Result } from './result.js'
import type { SlidingWindowCounterSnapshot } from './snapshot.js'

/**
 * Sliding window counter (Cloudflare's approximation): two aligned counters, and the sliding window's
 * count estimated as `previous × (1 − f) + current`, f the elapsed fraction of the current window, as if
 * the previous window's requests had been spread evenly. State per key, 3 doubles:
 * `[windowStart, current, previous]`.
 *
 * Guarantee: at most `limit` admitted in every aligned window; in the sliding window ending a fraction
 * f into an aligned window, at most `limit + P × f`, where P (≤ limit) is what the previous aligned
 * window admitted; so always fewer than `2 × limit`. Exact when the previous window's traffic was even.
 *
 * The arithmetic is on integers scaled by `windowMs` (estimate × W), so decisions are exact.
 */
export function slidingWindowCounter(
  s: Float64Array,
  o: number,
  now: number,
  cost: number,
  commit: boolean,
  limit: number,
  W: number,
): RateLimitResult {
  const stored = s[o]!
  let start = windowStart(now, W, stored)
  let current = s[o + 1]!
  let previous = s[o + 2]!
  if (start !== stored) {
    if (start === stored + W) {
      previous = current
      current = 0
    } else if (start > stored) {
      previous = 0
      current = 0
    } else {
      start = stored // the clock stepped back: stay in the stored window
    }
  }
  const elapsed = now > start ? now - start : 0
  const capW = limit * W
  const usedW = previous * (W - elapsed) + current * W
  const afterW = usedW + cost * W
  // One result object built at the end: see fixedWindow.
  let allowed = false
  let remaining: number
  let resetMs: number
  let retryAfterMs = 0
  if (cost <= limit && afterW <= capW) {
    const next = current + cost
    if (commit && cost > 0) {
      s[o] = start
      s[o + 1] = next
      s[o + 2] = previous
    }
    allowed = true
    remaining = Math.floor((capW - afterW) / W)
    resetMs = reset(start, next, previous, now, W)
  } else {
    remaining = remainingOf(capW, usedW, W)
    resetMs = reset(start, current, previous, now, W)
    retryAfterMs =
      cost > limit ? Number.POSITIVE_INFINITY : retry(start, current, previous, capW - cost * W, now, W)
  }
  return new Result(allowed, limit, remaining, resetMs, retryAfterMs, 0)
}

// Clamped: after the clock steps back the estimate can exceed the limit it was admitted under.
function remainingOf(capW: number, usedW: number, W: number): number {
  return usedW >= capW ? 0 : Math.floor((capW - usedW) / W)
}

// The estimate reaches 0 when the newest non-empty counter has slid fully out of view.
function reset(start: number, current: number, previous: number, now: number, W: number): number {
  if (current > 0) return start + 2 * W - now
  if (previous > 0) return start + W - now
  return 0
}

// The first whole ms at which estimate × W is down to `room` (it only decreases while nothing is admitted).
function retry(
  start: number,
  current: number,
  previous: number,
  room: number,
  now: number,
  W: number,
): number {
  // Later in the current window: previous × (W − e) + current × W ≤ room.
  const left = room - current * W
  if (left >= 0 && previous > 0) {
    const e = W - Math.floor(left / previous)
    if (e < W) return start + e - now
  }
  // In the next window, where current has become previous: current × (W − e) ≤ room.
  if (current === 0) return start + W - now
  const e = W - Math.floor(room / current)
  return start + W + Math.max(e, 0) - now
}

export function inspectSlidingWindowCounter(
  t: StateTable,
  _slot: number,
  o: number,
  now: number,
  policy: RateLimitPolicy,
): SlidingWindowCounterSnapshot {
  const W = policy.windowMs
  const r = slidingWindowCounter(t.s, o, now, 0, false, policy.limit, W)
  const stored = t.s[o]!
  let start = windowStart(now, W)
  let current = 0
  let previous = 0
  if (start <= stored) {
    start = stored
    current = t.s[o + 1]!
    previous = t.s[o + 2]!
  } else if (start === stored + W) {
    previous = t.s[o + 1]!
  }
  const elapsed = now > start ? now - start : 0
  return {
    algorithm: 'sliding-window-counter',
    nowMs: now,
    limit: r.limit,
    remaining: r.remaining,
    resetMs: r.resetMs,
    windowStartMs: start,
    current,
    previous,
    estimate: (previous * (W - elapsed)) / W + current,
  }
}
