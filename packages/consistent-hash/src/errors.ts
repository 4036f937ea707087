/**
 * The stable codes of {@link ConsistentHashError}; `switch (err.code)` narrows on them.
 *
 * - `ERR_EMPTY_RING`: a lookup (or an operation that needs at least one node) on a structure with no nodes.
 * - `ERR_DUPLICATE_NODE`: a node id that is already present was added again.
 * - `ERR_TOO_MANY_NODES`: more nodes than the structure can hold (Maglev: more nodes than table entries).
 */
export type ConsistentHashErrorCode = 'ERR_EMPTY_RING' | 'ERR_DUPLICATE_NODE' | 'ERR_TOO_MANY_NODES'

/**
 * The package's domain error. Wrong arguments throw `TypeError` / `RangeError` instead.
 *
 * @example
 * ```ts
 * import { ConsistentHashError, HashRing } from '@hotpath/consistent-hash'
 *
 * try {
 *   new HashRing().get('user:42')
 * } catch (err) {
 *   if (err instanceof ConsistentHashError && err.code === 'ERR_EMPTY_RING') console.log('no servers yet')
 * }
 * ```
 */
export class ConsistentHashError extends Error {
  /** Which failure this is; stable across versions. */
  readonly code: ConsistentHashErrorCode

  constructor(code: ConsistentHashErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ConsistentHashError'
    this.code = code
  }
}

/** @internal */
export function emptyRing(what: string): ConsistentHashError {
  return new ConsistentHashError('ERR_EMPTY_RING', `${what} has no nodes: add a node before looking keys up`)
}

/** @internal */
export function duplicateNode(id: string): ConsistentHashError {
  return new ConsistentHashError('ERR_DUPLICATE_NODE', `node ${JSON.stringify(id)} is already present`)
}
