// Node arguments shared by every scheme, and their validation.

/**
 * A node as passed to a constructor or `add`: its id, or `{ id, weight }`.
 * `weight` is relative (default 1): a node of weight 2 receives about twice the keys of a
 * node of weight 1.
 */
export type NodeInput =
  | string
  | {
      /** The node's id: what lookups return; unique within a ring. */
      readonly id: string
      /** Relative share of keys (a positive finite number); 1 when omitted. */
      readonly weight?: number | undefined
    }

/** A node as reported back by `nodes`. */
export interface RingNode {
  /** The node's id, as given when it was added. */
  readonly id: string
  /** The node's weight (1 unless one was given). */
  readonly weight: number
}

/**
 * A 32-bit hash of a key: must return the same unsigned 32-bit integer for the same string in
 * every process (results are coerced with `>>> 0`). The default is {@link murmur3_32}.
 */
export type HashFunction = (key: string) => number

/** Renders a bad argument for an error message. @internal */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'bigint') return `${value}n`
  if (value === null || typeof value !== 'object') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}

/** @internal */
export function parseNode(input: unknown): RingNode {
  if (typeof input === 'string') {
    if (input === '') throw new TypeError('`id` must be a non-empty string, got ""')
    return { id: input, weight: 1 }
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`a node must be a string id or { id, weight }, got ${show(input)}`)
  }
  const { id, weight } = input as { id?: unknown; weight?: unknown }
  if (typeof id !== 'string' || id === '')
    throw new TypeError(`\`id\` must be a non-empty string, got ${show(id)}`)
  if (weight === undefined) return { id, weight: 1 }
  if (typeof weight !== 'number')
    throw new TypeError(`\`weight\` of node ${show(id)} must be a number, got ${show(weight)}`)
  if (!(weight > 0) || !Number.isFinite(weight)) {
    throw new RangeError(
      `\`weight\` of node ${show(id)} must be a positive finite number, got ${show(weight)}`,
    )
  }
  return { id, weight }
}

/** @internal */
export function parseNodes(nodes: unknown): RingNode[] {
  if (nodes === undefined) return []
  if (
    nodes === null ||
    typeof (nodes as Iterable<unknown>)[Symbol.iterator] !== 'function' ||
    typeof nodes === 'string'
  ) {
    throw new TypeError(`\`nodes\` must be an array (or iterable) of nodes, got ${show(nodes)}`)
  }
  const out: RingNode[] = []
  for (const n of nodes as Iterable<unknown>) out.push(parseNode(n))
  return out
}

/** @internal */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`\`${name}\` must be an integer from ${min} to ${max}, got ${show(value)}`)
  }
  return value
}

/** @internal */
export function checkHash(hash: unknown): HashFunction | undefined {
  if (hash === undefined) return undefined
  if (typeof hash !== 'function')
    throw new TypeError(`\`hash\` must be a function (key: string) => number, got ${show(hash)}`)
  return hash as HashFunction
}

/** @internal */
export function checkKey(key: unknown): void {
  if (typeof key !== 'string') throw new TypeError(`\`key\` must be a string, got ${show(key)}`)
}

/** @internal */
export function checkOptions(options: unknown): Record<string, unknown> {
  if (options === undefined) return {}
  if (options === null || typeof options !== 'object')
    throw new TypeError(`\`options\` must be an object, got ${show(options)}`)
  return options as Record<string, unknown>
}
