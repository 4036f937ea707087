import { ceil, floor, OUT, type StateTable } from './kernel.js'
import type { RateLimitPolicy } from './policy.js'
import { type RateLimitResult, Result } from './result.js'
import type { GcraSnapshot } from './snapshot.js'

/**
 * The theoretical-arrival-time machine shared by {@link gcra} and the leaky-bucket queue. One key is one
 * TAT; with emission interval `T = windowMs / limit` and a capacity of `cap` units (tolerance `τ = cap·T`):
 *
 *   newTat = max(tat, now) + cost·T;  admitted iff newTat − τ ≤ now
 *
 * The TAT is stored exactly as `[tatMs, tatRem]`, `tat = tatMs + tatRem / limit` with integer parts, and
 * the "debt" `(max(tat, now) − now) · limit` is an integer, so no rounding error accumulates however long
 * the key stays busy. Times are rounded up to whole ms, never down: a retry at `now + retryAfterMs` works.
 */
export function tatApply(
  s: Float64Array,
  o: number,
  now: number,
  cost: number,
  commit: boolean,
  L: number,
  W: number,
  cap: number,
  queue: boolean,
): RateLimitResult {
  const tatMs = s[o]!
  const debt = tatMs >= now ? (tatMs - now) * L + s[o + 1]! : 0
  const after = debt + cost * W
  // One result object, built at the end, with the admission's numbers unless rejected (see the note in
  // kernel.ts). A cost above the capacity is rejected here too: the debt is never negative.
  const capW = cap * W
  const allowed = after <= capW
  let remaining = floor((capW - after) / W)
  let resetMs = ceil(after / L)
  let retryAfterMs = 0
  if (!allowed) {
    retryAfterMs = tatRejected(debt, after, cost, L, W, cap)
    remaining = OUT[0]!
    resetMs = OUT[1]!
  } else if (commit && cost > 0) {
    const whole = floor(after / L)
    s[o] = now + whole
    s[o + 1] = after - whole * L
  }
  return new Result(allowed, cap, remaining, resetMs, retryAfterMs, queue && allowed ? ceil(debt / L) : 0)
}

// A rejection's numbers: returns retryAfterMs, with remaining and resetMs in OUT.
function tatRejected(debt: number, after: number, cost: number, L: number, W: number, cap: number): number {
  const capW = cap * W
  // Clamped: after the clock steps back the debt can exceed what it was admitted under.
  OUT[0] = debt >= capW ? 0 : floor((capW - debt) / W)
  OUT[1] = ceil(debt / L)
  return cost > cap ? Number.POSITIVE_INFINITY : ceil((after - capW) / L)
}

/**
 * GCRA, the generic cell rate algorithm (leaky bucket as a meter), with redis-cell's semantics: emission
 * interval `T = windowMs / limit`, tolerance `τ = burst × T` (redis-cell's `max_burst` is `burst − 1`),
 * and per key one theoretical arrival time. `limit`, `remaining`, `retryAfterMs` and `resetMs` match
 * `CL.THROTTLE`'s `limit`, `remaining`, `retry_after` and `reset_after` (in ms instead of s; `Infinity`
 * where redis-cell says -1).
 *
 * Guarantee: over any interval of length e, at most `burst + limit × e / windowMs` cost units admitted:
 * the token bucket's bound, and its decisions too (the two are one algorithm in different bookkeeping).
 * State per key, 2 doubles: `[tatMs, tatRem]`.
 */
export function gcra(
  s: Float64Array,
  o: number,
  now: number,
  cost: number,
  commit: boolean,
  limit: number,
  windowMs: number,
  burst: number,
): RateLimitResult {
  return tatApply(s, o, now, cost, commit, limit, windowMs, burst, false)
}

export function tatOf(s: Float64Array, o: number, L: number): number {
  return s[o]! + s[o + 1]! / L
}

export function inspectGcra(
  t: StateTable,
  _slot: number,
  o: number,
  now: number,
  policy: RateLimitPolicy,
): GcraSnapshot {
  const r = gcra(t.s, o, now, 0, false, policy.limit, policy.windowMs, policy.capacity)
  const T = policy.windowMs / policy.limit
  return {
    algorithm: 'gcra',
    nowMs: now,
    limit: r.limit,
    remaining: r.remaining,
    resetMs: r.resetMs,
    tatMs: tatOf(t.s, o, policy.limit),
    emissionIntervalMs: T,
    toleranceMs: policy.capacity * T,
  }
}
