/**
 * The stable codes of {@link SnowflakeError}; `switch (err.code)` narrows on them.
 *
 * - `ERR_CLOCK_BACKWARDS`: the clock is behind the last issued timestamp and the policy refused to go on
 *   (see {@link ClockBackwardsError}).
 * - `ERR_CLOCK_STALLED`: the generator had to wait for the next tick but the clock stopped moving
 *   (a frozen fake clock, for example).
 * - `ERR_END_OF_LIFE`: the clock is past the last instant the layout's timestamp field can hold.
 * - `ERR_GENERATOR_STOPPED`: the generator's `signal` was aborted (for example a lost worker-ID lease).
 */
export type SnowflakeErrorCode =
  | 'ERR_CLOCK_BACKWARDS'
  | 'ERR_CLOCK_STALLED'
  | 'ERR_END_OF_LIFE'
  | 'ERR_GENERATOR_STOPPED'

/**
 * The error every domain failure of `@hotpath/snowflake-id` throws. Argument mistakes throw
 * `TypeError` / `RangeError` instead.
 *
 * @example
 * ```ts
 * import { Snowflake, SnowflakeError } from '@hotpath/snowflake-id'
 *
 * const ids = new Snowflake({ workerId: 1 })
 * try {
 *   ids.next()
 * } catch (err) {
 *   if (err instanceof SnowflakeError && err.code === 'ERR_CLOCK_BACKWARDS') {
 *     // retry later, or page someone about NTP
 *   }
 *   throw err
 * }
 * ```
 */
export class SnowflakeError extends Error {
  /** Which failure this is; stable across versions. */
  readonly code: SnowflakeErrorCode

  constructor(code: SnowflakeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SnowflakeError'
    this.code = code
  }
}

/**
 * Thrown when the clock reads earlier than the last timestamp the generator issued and the
 * `onClockBackwards` policy is `'throw'`, or `'wait'` and the gap is larger than `maxBackwardsMs`.
 * The generator stays usable: once the clock catches up, `next()` works again.
 *
 * @example
 * ```ts
 * import { ClockBackwardsError, Snowflake } from '@hotpath/snowflake-id'
 *
 * let now = 1_700_000_000_000
 * const ids = new Snowflake({ onClockBackwards: 'throw', clock: () => now })
 * ids.next()
 * now -= 5
 * try {
 *   ids.next()
 * } catch (err) {
 *   if (err instanceof ClockBackwardsError) console.log(err.behindMs) // 5
 * }
 * ```
 */
export class ClockBackwardsError extends SnowflakeError {
  /** How far (in ms) the clock read behind the start of the last issued tick. */
  readonly behindMs: number

  constructor(behindMs: number, message: string) {
    super('ERR_CLOCK_BACKWARDS', message)
    this.name = 'ClockBackwardsError'
    this.behindMs = behindMs
  }
}
