/**
 * A clock: returns the current time in milliseconds. Whole milliseconds keep every algorithm's arithmetic
 * exact; any monotonic source works (a fake one in tests).
 *
 * @example
 * ```ts
 * import { type Clock, RateLimiter } from '@hotpath/rate-limiter'
 *
 * const weeksFromMonday: Clock = () => Date.now() + 3 * 86_400_000 // 1970-01-01 was a Thursday
 * new RateLimiter({ algorithm: 'fixed-window', limit: 5, windowMs: 7 * 86_400_000, clock: weeksFromMonday })
 * ```
 */
export type Clock = () => number

/** How many reads one synchronous turn may serve from the cached time before reading the OS clock again. */
const READS_PER_REFRESH = 64

// The cached time, in a Float64Array rather than a `let`: a number kept in a module variable is a heap
// object, and code that reads it and merges it with the doubles of the state tables would box those
// (an allocation per check).
const cached = new Float64Array(1)
// Reads served from `cached` in this turn; READS_PER_REFRESH forces a fresh read (so the common case
// is one increment and one compare).
let reads = READS_PER_REFRESH
let armed = false
const disarm = (): void => {
  armed = false
  reads = READS_PER_REFRESH
}

/**
 * The default clock of the memory store: `Date.now()`, read at most once per 64 checks within one
 * synchronous turn of the event loop and never going backwards.
 *
 * Why: reading the OS clock costs about as much as a whole rate-limit check, and every check made in one
 * turn (one HTTP request, one batch of messages) is simultaneous for rate-limiting purposes. The same idea
 * as nginx's and Redis's cached time. The cache is dropped at the next microtask checkpoint (so every new
 * request, timer or await sees fresh time) and after 64 reads (so a loop that spins on `limit()` still sees
 * time advance). The price: code that runs synchronously for a long time between two checks in the same
 * turn sees the time of the first one; pass `clock: Date.now` to read the OS clock on every check.
 *
 * It never returns less than it returned before, so a wall-clock step backwards (NTP) pauses time instead
 * of rewinding it.
 *
 * @example
 * ```ts
 * import { RateLimiter, tickClock } from '@hotpath/rate-limiter'
 *
 * const a = tickClock()
 * const b = tickClock() // same turn: same value, no system call
 * console.log(b >= a) // true
 * const precise = new RateLimiter({ algorithm: 'gcra', limit: 10, windowMs: 1000, clock: Date.now })
 * ```
 */
export function tickClock(): number {
  // The refresh is a function of its own so that this one stays a few bytes of bytecode: it is inlined
  // into every check, and V8 inlines a bounded amount of bytecode into one caller.
  return ++reads < READS_PER_REFRESH ? cached[0]! : refresh()
}

function refresh(): number {
  reads = 0
  const now = Date.now()
  if (now > cached[0]!) cached[0] = now
  if (!armed) {
    armed = true
    queueMicrotask(disarm)
  }
  return cached[0]!
}
