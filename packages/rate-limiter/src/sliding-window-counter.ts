import { floor, max, OUT, type StateTable, windowStart } from './kernel.js'
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
  let start = s[o]!
  let current = s[o + 1]!
  let previous = s[o + 2]!
  // A later window (the stored start is aligned, 0 for a new key): the current counter becomes the previous
  // one if that window is the next, else both are zero. Before the stored window, the clock stepped back:
  // stay in it (elapsed is then 0).
  if (now - start >= W) {
    // windowStart(now, W) written out: see fixedWindow.
    const next = now - (now % W)
    previous = next === start + W ? current : 0
    current = 0
    start = next
  }
  const elapsed = now > start ? now - start : 0
  const usedW = previous * (W - elapsed) + current * W
  const afterW = usedW + cost * W
  const next = current + cost
  const capW = limit * W
  // One result object, built at the end, with the admission's numbers unless rejected (see the note in
  // kernel.ts). A cost above the limit is rejected here too: usedW is never negative.
  const allowed = afterW <= capW
  let remaining = floor((capW - afterW) / W)
  // resetOf(start, next, previous, now, W) written out: a call costs bytecode (see the note in kernel.ts).
  let resetMs = max(0, (next > 0 ? start + 2 * W : previous > 0 ? start + W : now) - now)
  let retryAfterMs = 0
  if (!allowed) {
    retryAfterMs = slidingWindowCounterRejected(start, current, previous, cost, now, limit, W)
    remaining = OUT[0]!
    resetMs = OUT[1]!
  } else if (commit && cost > 0) {
    s[o] = start
    s[o + 1] = next
    s[o + 2] = previous
  }
  return new Result(allowed, limit, remaining, resetMs, retryAfterMs, 0)
}

// A rejection's numbers: returns retryAfterMs, with remaining and resetMs in OUT. It recomputes the
// estimate from the (rolled-over) counters rather than taking it as an argument: each argument is a
// bytecode move at the call site, inside the inlining budget.
function slidingWindowCounterRejected(
  start: number,
  current: number,
  previous: number,
  cost: number,
  now: number,
  limit: number,
  W: number,
): number {
  const usedW = previous * (W - (now > start ? now - start : 0)) + current * W
  const capW = limit * W
  // Clamped: after the clock steps back the estimate can exceed the limit it was admitted under.
  OUT[0] = usedW >= capW ? 0 : floor((capW - usedW) / W)
  OUT[1] = resetOf(start, current, previous, now, W)
  return cost > limit ? Number.POSITIVE_INFINITY : retry(start, current, previous, capW - cost * W, now, W)
}

// The estimate reaches 0 when the newest non-empty counter has slid fully out of view. (The max is a no-op
// that tells V8 the time is non-negative: see the note in kernel.ts on numbers in results.)
function resetOf(start: number, current: number, previous: number, now: number, W: number): number {
  return max(0, (current > 0 ? start + 2 * W : previous > 0 ? start + W : now) - now)
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
    const e = W - floor(left / previous)
    if (e < W) return start + e - now
  }
  // In the next window, where current has become previous: current × (W − e) ≤ room.
  if (current === 0) return start + W - now
  const e = W - floor(room / current)
  return start + W + max(e, 0) - now
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
