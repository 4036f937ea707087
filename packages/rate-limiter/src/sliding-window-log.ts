import { OUT, type StateTable } from './kernel.js'
import type { RateLimitPolicy } from './policy.js'
import { type RateLimitResult, Result } from './result.js'
import type { SlidingWindowLogSnapshot } from './snapshot.js'

// Per-key ring of admitted requests, oldest first: [head, length, sum of costs, t0, c0, t1, c1, ...].
// Requests admitted in the same millisecond share one entry, so a log never holds more than
// min(limit, windowMs) live entries however many requests it has seen. Ring positions are int32 and wrap
// by comparison, not `%`: on values read from a Float64Array `%` is a floating-point remainder, a
// library call that cost more than the rest of a check.
const HEAD = 0
const LENGTH = 1
const SUM = 2
const ENTRIES = 3
const INITIAL_ENTRIES = 2
// Rings up to this many entries are kept (zeroed) when a key is cleared, so a churn of short-lived keys
// does not allocate; larger ones are dropped so one burst cannot pin memory forever.
const REUSE_ENTRIES = 8

/**
 * Sliding window log: every admitted request is remembered (time, cost) until it is `windowMs` old; a
 * request is admitted when the costs of those younger than `windowMs`, plus its own, fit in `limit`.
 * State per key: a ring of `(time, cost)` entries in `t.aux[slot]`.
 *
 * Guarantee (exact): in every window `(t − windowMs, t]`, at most `limit` cost units admitted; an entry
 * admitted at `a` stops counting at `a + windowMs` exactly.
 *
 * Memory grows with the traffic (up to `min(limit, windowMs)` entries per key): the price of exactness.
 */
export function slidingWindowLog(
  t: StateTable,
  slot: number,
  now: number,
  cost: number,
  commit: boolean,
  limit: number,
  W: number,
): RateLimitResult {
  // The usual check of a busy key: another request in the same millisecond as the newest entry, with room
  // left; it adds to the newest entry. Nothing has expired since logOf wrote that entry at `now` (it expires
  // everything at or before `now − W` when it does). Kept to a few lines so V8 inlines it into the caller;
  // everything else is logOf's, which answers through OUT so that the one result object is built here, at
  // the end (see the note in kernel.ts).
  const ring = t.aux[slot]
  let remaining = -1
  if (ring !== undefined && commit && cost > 0) {
    const cap = (ring.length - ENTRIES) >> 1
    const head = ring[HEAD]! | 0
    const length = ring[LENGTH]! | 0
    const sum = ring[SUM]! + cost
    const last = entry(head, length - 1, cap)
    if (length > 0 && ring[last] === now && sum <= limit) {
      ring[last + 1] = ring[last + 1]! + cost
      ring[SUM] = sum
      remaining = limit - sum
    }
  }
  let allowed = true
  let resetMs = W
  let retryAfterMs = 0
  if (remaining < 0) {
    logOf(t, slot, now, cost, commit, limit, W)
    remaining = OUT[0]!
    resetMs = OUT[1]!
    retryAfterMs = OUT[2]!
    allowed = OUT[3] === 1
  }
  return new Result(allowed, limit, remaining, resetMs, retryAfterMs, 0)
}

// logOf's answer, in the transitions' shared OUT.
function answer(allowed: number, remaining: number, resetMs: number, retryAfterMs: number): void {
  OUT[0] = remaining
  OUT[1] = resetMs
  OUT[2] = retryAfterMs
  OUT[3] = allowed
}

function logOf(
  t: StateTable,
  slot: number,
  now: number,
  cost: number,
  commit: boolean,
  limit: number,
  W: number,
): void {
  const ring = t.aux[slot]
  let head = 0
  let length = 0
  let sum = 0
  let cap = 0
  let newest = 0
  if (ring !== undefined) {
    head = ring[HEAD]! | 0
    length = ring[LENGTH]! | 0
    sum = ring[SUM]!
    cap = (ring.length - ENTRIES) >> 1
    if (length > 0) newest = ring[entry(head, length - 1, cap)]!
  }
  // The clock stepped back: judge at the newest entry's time (never un-expire or double-count).
  const at = length > 0 && now < newest ? newest : now
  const horizon = at - W
  let expired = 0
  let expiredCost = 0
  while (expired < length) {
    const i = entry(head, expired, cap)
    if (ring![i]! > horizon) break
    expiredCost += ring![i + 1]!
    expired++
  }
  const live = sum - expiredCost
  const liveReset = expired < length ? newest + W - now : 0
  if (cost > limit) {
    answer(0, limit - live, liveReset, Infinity)
    return
  }
  if (live + cost <= limit) {
    if (cost === 0) {
      answer(1, limit - live, liveReset, 0)
      return
    }
    if (commit) append(t, slot, ring, head + expired, length - expired, live, at, cost)
    answer(1, limit - live - cost, at + W - now, 0)
    return
  }
  // Rejected: wait for the oldest entries whose expiry frees enough room.
  const need = live + cost - limit
  let freed = 0
  let j = expired
  let i = 0
  do {
    i = entry(head, j, cap)
    freed += ring![i + 1]!
    j++
  } while (freed < need)
  answer(0, limit - live, liveReset, ring![i]! + W - now)
}

// The array index of the k-th entry from `head` (0 ≤ head < cap, 0 ≤ k ≤ cap).
function entry(head: number, k: number, cap: number): number {
  const p = head + k
  return ENTRIES + 2 * (p >= cap ? p - cap : p)
}

function append(
  t: StateTable,
  slot: number,
  ring: Float64Array | undefined,
  head: number,
  length: number,
  sum: number,
  at: number,
  cost: number,
): void {
  let cap = ring === undefined ? 0 : (ring.length - ENTRIES) >> 1
  if (head >= cap) head -= cap // head + expired may have passed the end
  if (ring !== undefined && length > 0) {
    const last = entry(head, length - 1, cap)
    if (ring[last] === at) {
      ring[last + 1] = ring[last + 1]! + cost
      ring[HEAD] = head
      ring[LENGTH] = length
      ring[SUM] = sum + cost
      return
    }
  }
  let r = ring
  if (r === undefined || length === cap) {
    // Grow (or create), unrolling the live entries to the front.
    const bigger = new Float64Array(ENTRIES + 2 * Math.max(INITIAL_ENTRIES, cap * 2))
    for (let k = 0; k < length; k++) {
      const from = entry(head, k, cap)
      bigger[ENTRIES + 2 * k] = r![from]!
      bigger[ENTRIES + 2 * k + 1] = r![from + 1]!
    }
    r = bigger
    t.aux[slot] = r
    head = 0
    cap = (r.length - ENTRIES) >> 1
  }
  const i = entry(head, length, cap)
  r[i] = at
  r[i + 1] = cost
  r[HEAD] = head
  r[LENGTH] = length + 1
  r[SUM] = sum + cost
}

/** Returns a slot's log to empty (keeping small rings for reuse). */
export function clearLog(t: StateTable, slot: number): void {
  const ring = t.aux[slot]
  if (ring === undefined) return
  if (ring.length <= ENTRIES + 2 * REUSE_ENTRIES) ring.fill(0)
  else t.aux[slot] = undefined
}

export function inspectSlidingWindowLog(
  t: StateTable,
  slot: number,
  _o: number,
  now: number,
  policy: RateLimitPolicy,
): SlidingWindowLogSnapshot {
  const r = slidingWindowLog(t, slot, now, 0, false, policy.limit, policy.windowMs)
  const ring = t.aux[slot]
  const entries: { atMs: number; cost: number }[] = []
  let count = 0
  if (ring !== undefined) {
    const cap = (ring.length - ENTRIES) >> 1
    for (let k = 0; k < ring[LENGTH]!; k++) {
      const i = entry(ring[HEAD]! | 0, k, cap)
      if (ring[i]! > now - policy.windowMs) {
        entries.push({ atMs: ring[i]!, cost: ring[i + 1]! })
        count += ring[i + 1]!
      }
    }
  }
  return {
    algorithm: 'sliding-window-log',
    nowMs: now,
    limit: r.limit,
    remaining: r.remaining,
    resetMs: r.resetMs,
    entries,
    count,
  }
}
