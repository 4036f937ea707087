import { describe } from './algorithms.js'

const UNIT_SECONDS: ReadonlyMap<string, number> = new Map([
  ['s', 1],
  ['sec', 1],
  ['secs', 1],
  ['second', 1],
  ['seconds', 1],
  ['m', 60],
  ['min', 60],
  ['mins', 60],
  ['minute', 60],
  ['minutes', 60],
  ['h', 3600],
  ['hr', 3600],
  ['hrs', 3600],
  ['hour', 3600],
  ['hours', 3600],
  ['d', 86_400],
  ['day', 86_400],
  ['days', 86_400],
  ['w', 604_800],
  ['week', 604_800],
  ['weeks', 604_800],
])

// A unit is mandatory: in jsonwebtoken a bare "60" means 60 *milliseconds* while 60 means
// 60 seconds, a classic way to mint tokens that are already expired.
const DURATION = /^(\d+(?:\.\d+)?) ?([a-z]+)$/

/**
 * Converts a duration option to seconds: a finite number of seconds, or a string such as
 * `'90s'`, `'15m'`, `'2h'`, `'7d'`, `'1w'` (also `'15 minutes'`, `'2 hours'`, `'1.5h'`).
 *
 * @param positive when true, zero is rejected (`expiresIn`, `maxAge`); otherwise zero is allowed.
 */
export function durationSeconds(value: unknown, option: string, positive: boolean): number {
  let seconds: number
  if (typeof value === 'number') {
    seconds = value
  } else if (typeof value === 'string') {
    const match = DURATION.exec(value)
    const unit = match === null ? undefined : UNIT_SECONDS.get(match[2]!)
    if (match === null || unit === undefined) {
      throw new TypeError(
        `\`${option}\` must be a number of seconds or a string such as '90s', '15m', '2h', '7d', got ${describe(value)}`,
      )
    }
    seconds = Number(match[1]) * unit
  } else {
    throw new TypeError(
      `\`${option}\` must be a number of seconds or a duration string, got ${describe(value)}`,
    )
  }
  // Ten thousand years bounds every computed NumericDate well inside the safe-integer range.
  if (!Number.isFinite(seconds) || seconds < 0 || (positive && seconds === 0) || seconds > 315_576_000_000) {
    throw new RangeError(
      `\`${option}\` must be ${positive ? 'more than' : 'at least'} 0 seconds and at most 10000 years, got ${describe(value)}`,
    )
  }
  return seconds
}
