import type { RateLimitPolicy } from './policy.js'
import type { RateLimitSnapshot } from './snapshot.js'

/**
 * Where a store keeps per-key state: the algorithm's fixed-size state at some offset `o` of `s` (2 or 3
 * doubles; the memory store puts slot `i` at `i × stride + 1`, after the slot's place in its LRU queue),
 * and for variable-size state (the sliding log) one typed array per slot in `aux`. The all-zeros state is a key never seen, for every algorithm.
 *
 * Each algorithm file exports its transition as a plain function over this layout,
 * `(state, now, cost, commit, ...policy numbers) → RateLimitResult`, which writes the new state only
 * when the request is admitted with a positive cost and `commit` is true. Plain functions (not methods
 * of a kernel object) keep every call site monomorphic when several algorithms share a process.
 */
export interface StateTable {
  s: Float64Array
  aux: (Float64Array | undefined)[]
}

// How the transitions are written. V8 inlines a whole check (the limiter's function, the store's slot
// lookup, the transition, the result's constructor) into its caller, where the result object then costs
// nothing when only `allowed` is read, as long as the bytecode of everything inlined stays under a budget
// (920 bytes in Node 20 and 24, with a 20% reserve for each callee). So:
//
// - A transition computes an admission's numbers; a rejection's arithmetic is a function of its own that
//   runs only when a request is rejected (a function that never runs is not inlined and costs nothing). It
//   returns retryAfterMs and leaves the other two numbers in OUT.
// - The result object is built in one place, at the end. With two construction sites (one per outcome), a
//   process that had seen some rejections allocated a result on every admitted check: V8 could not remove
//   an object merged with another.
// - Math's functions are called through the module constants below (a shorter call than a property load on
//   the `Math` global; V8 still recognizes the builtins).
// - Numbers in results: V8 boxed some of them (a heap allocation per check) when their type was any number,
//   as for a difference of times (`end − now`), and not when it was known to be whole or non-negative
//   (`floor`, `ceil`, `max(0, …)`, a difference of counts). Where a result's time is a difference, it
//   goes through one of those. bench/experiments/rate-limiter-allocations.mjs counts the GCs.

/**
 * Where a function a transition calls out of line leaves its numbers for the transition to build its one
 * result: `[remaining, resetMs, retryAfterMs, allowed (1 or 0)]`. A rejection function fills the first
 * two (it returns retryAfterMs); the sliding log's general path fills all four. Checks are synchronous,
 * so one is enough.
 */
export const OUT: Float64Array = new Float64Array(4)

export const floor: (x: number) => number = Math.floor
export const ceil: (x: number) => number = Math.ceil
export const max: (...values: number[]) => number = Math.max

/** Decodes one slot for `inspect()`; cold path. */
export type Inspector = (
  t: StateTable,
  slot: number,
  o: number,
  now: number,
  policy: RateLimitPolicy,
) => RateLimitSnapshot

/** The start of the aligned window containing `now` (windows are aligned to the clock's zero). */
export function windowStart(now: number, windowMs: number): number {
  const r = now % windowMs
  return r < 0 ? now - r - windowMs : now - r
}
