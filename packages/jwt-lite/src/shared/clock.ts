import { describe } from './algorithms.js'

/**
 * An injectable clock: epoch milliseconds, a `Date`, or a function returning epoch milliseconds (like `Date.now`).
 *
 * @example
 * ```ts
 * import { verify } from '@hotpath/jwt-lite'
 * verify(token, key, { now: new Date('2030-01-01T00:00:00Z') }) // as if it were that instant
 * verify(token, key, { now: () => testClock.ms })                // a clock a test can move
 * ```
 */
export type Clock = number | Date | (() => number)

/** Normalises the `now` option into a function returning epoch milliseconds. */
export function clockOption(value: unknown): () => number {
  if (value === undefined) return Date.now
  if (typeof value === 'function') {
    const fn = value as () => unknown
    return () => {
      const ms = fn()
      if (typeof ms !== 'number' || !Number.isFinite(ms)) {
        throw new TypeError(`\`now\` must return epoch milliseconds as a finite number, got ${describe(ms)}`)
      }
      return ms
    }
  }
  const ms = value instanceof Date ? value.getTime() : value
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new TypeError(
      `\`now\` must be epoch milliseconds, a valid Date, or a function returning epoch milliseconds, got ${describe(value)}`,
    )
  }
  return () => ms
}
