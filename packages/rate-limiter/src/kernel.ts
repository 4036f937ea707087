import type { RateLimitPolicy } from './policy.js'
import type { RateLimitSnapshot } from './snapshot.js'

/**
 * Where a store keeps per-key state: `stateSize(algorithm)` doubles per slot in `s` (slot `i` at
 * `i × stateSize`), and for variable-size state (the sliding log) one typed array per slot in `aux`.
 * Slot 0 is never written: it is the state of a key never seen, all zeros, for every algorithm.
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

/** Decodes one slot for `inspect()`; cold path. */
export type Inspector = (
  t: StateTable,
  slot: number,
  now: number,
  policy: RateLimitPolicy,
) => RateLimitSnapshot

/** The start of the aligned window containing `now` (windows are aligned to the clock's zero). */
export function windowStart(now: number, windowMs: number): number {
  const r = now % windowMs
  return r < 0 ? now - r - windowMs : now - r
}
