import type { LimitOptions } from './store.js'

// Argument checks shared by the limiter, the store and the HTTP helpers. Messages name the option, the
// accepted range and the value received, e.g. "RangeError: `limit` must be a positive integer, got 0".

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'function') return 'a function'
  if (value === null || typeof value !== 'object') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}

function integer(name: string, value: unknown, min: number, what: string): number {
  if (typeof value !== 'number') throw new TypeError(`\`${name}\` must be ${what}, got ${show(value)}`)
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`\`${name}\` must be ${what}, got ${show(value)}`)
  return value
}

export function positiveInteger(name: string, value: unknown): number {
  return integer(name, value, 1, 'a positive integer')
}

export function nonNegativeInteger(name: string, value: unknown): number {
  return integer(name, value, 0, 'a non-negative integer')
}

export function checkKey(key: unknown): string {
  if (typeof key !== 'string') throw new TypeError(`\`key\` must be a non-empty string, got ${show(key)}`)
  if (key.length === 0) throw new RangeError('`key` must be a non-empty string, got ""')
  return key
}

export function checkCost(cost: unknown): number {
  return integer('cost', cost, 0, 'a non-negative integer')
}

/** The cost of a `limit()` / `peek()` call: 1 unless `options.cost` says otherwise (checked). */
export function costOf(options: LimitOptions | undefined): number {
  return options === undefined || options.cost === undefined ? 1 : checkCost(options.cost)
}

export function checkFunction<F>(name: string, value: unknown): F {
  if (typeof value !== 'function') throw new TypeError(`\`${name}\` must be a function, got ${show(value)}`)
  return value as F
}
