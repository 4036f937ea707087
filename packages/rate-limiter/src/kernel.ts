import type { RateLimitPolicy } from './policy.js'
import type { RateLimitSnapshot } from './snapshot.js'

/**
 * Where a store keeps per-key state: the algorithm's fixed-size state at some offset `o` of `s` (2 or 3
 * doubles; the memory store puts slot `i` at `i × stride`), and for variable-size state (the sliding
 * log) one typed array per slot in `aux`. The all-zeros state is a key never seen, for every algorithm.
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
  o: number,
  now: number,
  policy: RateLimitPolicy,
) => RateLimitSnapshot

/**
 * The start of the aligned window containing `now` (windows are aligned to the clock's zero). `stored`
 * is the key's window start: when `now` is still in it (the common case for a busy key) no division by
 * the window, which is a slow floating-point remainder for epoch-sized times, is needed.
 */
export function windowStart(now: number, windowMs: number, stored: number = Number.NaN): number {
  if (now >= stored && now - stored < windowMs) return stored
  const r = now % windowMs
  return r < 0 ? now - r - windowMs : now - r
}
