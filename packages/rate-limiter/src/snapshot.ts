import type { AlgorithmName } from './policy.js'

/** Fields every {@link RateLimitSnapshot} has. */
export interface SnapshotBase<A extends AlgorithmName> {
  /** The key's algorithm: narrow a {@link RateLimitSnapshot} on it. */
  readonly algorithm: A
  /** The time the snapshot was taken, on the store's clock (ms). */
  readonly nowMs: number
  /** As in {@link RateLimitResult}. */
  readonly limit: number
  /** As in {@link RateLimitResult}: cost-1 requests admissible right now. */
  readonly remaining: number
  /** As in {@link RateLimitResult}: ms until the key is back to its initial state. */
  readonly resetMs: number
}

/** fixed-window: the aligned window `[windowStartMs, windowStartMs + windowMs)` and its count. */
export interface FixedWindowSnapshot extends SnapshotBase<'fixed-window'> {
  /** Start of the current aligned window, on the store's clock (ms). */
  readonly windowStartMs: number
  /** Cost units admitted in the current window. */
  readonly count: number
}

/** sliding-window-counter: the two counters and the weighted estimate the decision uses. */
export interface SlidingWindowCounterSnapshot extends SnapshotBase<'sliding-window-counter'> {
  /** Start of the current aligned window, on the store's clock (ms). */
  readonly windowStartMs: number
  /** Cost units admitted in the current aligned window. */
  readonly current: number
  /** Cost units admitted in the previous aligned window (`0` if the key was idle then). */
  readonly previous: number
  /** `previous × (1 − elapsed / windowMs) + current`: the estimated count of the sliding window. */
  readonly estimate: number
}

/** sliding-window-log: the admitted requests still inside the window, oldest first. */
export interface SlidingWindowLogSnapshot extends SnapshotBase<'sliding-window-log'> {
  /** The log entries younger than `windowMs`, oldest first. */
  readonly entries: readonly {
    /** When the entry was admitted, on the store's clock (ms); it stops counting at `atMs + windowMs`. */
    readonly atMs: number
    /** The cost admitted at `atMs` (requests in the same millisecond share one entry). */
    readonly cost: number
  }[]
  /** Sum of the entries' costs. */
  readonly count: number
}

/** token-bucket: the (fractional) tokens in the bucket now. */
export interface TokenBucketSnapshot extends SnapshotBase<'token-bucket'> {
  /** Tokens in the bucket now (may be fractional); `capacity` when full. */
  readonly tokens: number
  /** The bucket's size: `burst` (default `limit`). */
  readonly capacity: number
  /** Tokens refilled per ms: `limit / windowMs`. */
  readonly refillPerMs: number
}

/** gcra: the theoretical arrival time and the two parameters of the cell rate algorithm. */
export interface GcraSnapshot extends SnapshotBase<'gcra'> {
  /** Theoretical arrival time (ms, may be fractional); `≤ nowMs` means the bucket is full. */
  readonly tatMs: number
  /** `windowMs / limit`: the nominal spacing between requests. */
  readonly emissionIntervalMs: number
  /** `burst × emissionIntervalMs`: how far ahead of schedule the TAT may run (redis-cell's DVT). */
  readonly toleranceMs: number
}

/** leaky-bucket: the queue, as work still to drain. */
export interface LeakyBucketSnapshot extends SnapshotBase<'leaky-bucket'> {
  /** Cost units queued or still leaving (fractional: the one leaving is partly gone). */
  readonly queued: number
  /** When the queue will have drained: the start time of the next request admitted now. */
  readonly drainsAtMs: number
  /** `windowMs / limit`: the time one cost unit takes to leave. */
  readonly outflowIntervalMs: number
}

/**
 * A read-only, decoded view of one key's state, for dashboards and visualizations. Narrow on `algorithm`.
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@hotpath/rate-limiter'
 *
 * const limiter = new RateLimiter({ algorithm: 'token-bucket', limit: 10, windowMs: 1000 })
 * limiter.limit('k')
 * const s = limiter.inspect('k')
 * if (s.algorithm === 'token-bucket') console.log(s.tokens) // 9 (refilling at 0.01 per ms)
 * ```
 */
export type RateLimitSnapshot =
  | FixedWindowSnapshot
  | SlidingWindowCounterSnapshot
  | SlidingWindowLogSnapshot
  | TokenBucketSnapshot
  | GcraSnapshot
  | LeakyBucketSnapshot
