/** Renders a received value for an error message: numbers as written, strings quoted, objects by kind. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value)
    case 'string':
      return JSON.stringify(value)
    case 'bigint':
      return `${value}n`
    case 'function':
      return 'a function'
    case 'symbol':
      return value.toString()
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object'
    default:
      return String(value)
  }
}

function fail(name: string, expected: string, value: unknown): never {
  const message = `\`${name}\` must be ${expected}, got ${describe(value)}`
  throw typeof value === 'number' ? new RangeError(message) : new TypeError(message)
}

/**
 * A limit option (`max`, `maxSize`, `maxEntrySize`): a positive integer, or `Infinity`, or
 * `0` / `undefined` meaning "not set" as in lru-cache. Returns the limit with "not set" as 0.
 */
export function limitOption(name: string, value: unknown): number {
  if (value === undefined || value === 0) return 0
  if (value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && (value as number) > 0)) {
    return value as number
  }
  return fail(name, 'a positive integer or Infinity', value)
}

/** A duration in ms (`ttl`): a non-negative integer or Infinity; Infinity and 0 both mean "never expires". */
export function ttlOption(name: string, value: unknown): number {
  if (value === undefined || value === 0 || value === Number.POSITIVE_INFINITY) return 0
  if (Number.isSafeInteger(value) && (value as number) > 0) return value as number
  return fail(name, 'a positive integer (ms), 0 or Infinity', value)
}

export function nonNegativeInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number
  return fail(name, 'a non-negative integer', value)
}

export function positiveSize(name: string, value: unknown): number {
  if (Number.isSafeInteger(value) && (value as number) > 0) return value as number
  return fail(name, 'a positive integer', value)
}

export function optionalFunction<F>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'function') return value as F
  throw new TypeError(`\`${name}\` must be a function, got ${describe(value)}`)
}

export function finiteNumber(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  return fail(name, 'a finite number', value)
}
