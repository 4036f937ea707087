import type { VerifyResult } from './types.js'

interface Entry {
  readonly result: VerifyResult<unknown>
  /** Epoch ms before which the token would not verify (nbf / iat minus tolerance): guards a clock set back. */
  readonly from: number
  /** Epoch ms from which the entry is dead: the token's exp (or iat + maxAge), never later. */
  readonly until: number
}

/** Default number of entries of a `cache: true` verifier. */
export const DEFAULT_CACHE_SIZE = 1000

/**
 * Verified results by a SHA-256 digest of the whole token. The digest, not the token, is the
 * key so the cache does not keep bearer tokens alive in the heap (a heap dump or core file would
 * otherwise hand out working credentials); a cryptographic hash because a collision would
 * return another token's claims. Only successes are stored, so hostile tokens cannot fill it,
 * and nothing is stored past `until`. Eviction is first-in first-out: a hit does no bookkeeping,
 * which keeps the hit path to a lookup and a comparison.
 */
export class VerifiedCache {
  readonly #max: number
  readonly #entries = new Map<string, Entry>()

  constructor(max: number) {
    this.#max = max
  }

  get size(): number {
    return this.#entries.size
  }

  get(digest: string, nowMs: number): VerifyResult<unknown> | undefined {
    const entry = this.#entries.get(digest)
    if (entry === undefined) return undefined
    if (nowMs < entry.until && nowMs >= entry.from) return entry.result
    // Past its end it can never be valid again; before its start (a clock set back) it may be
    // later, but a miss costs only a full verification, so both just drop the entry.
    this.#entries.delete(digest)
    return undefined
  }

  set(digest: string, result: VerifyResult<unknown>, from: number, until: number): void {
    // A second verification of the same token (concurrent in the web entry) replaces the entry.
    if (!this.#entries.delete(digest) && this.#entries.size >= this.#max) {
      // Map iteration order is insertion order: the first key is the oldest.
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(digest, { result, from, until })
  }

  clear(): void {
    this.#entries.clear()
  }
}

/**
 * The window in which a verified token stays valid, in epoch ms: from max(nbf, iat) minus the
 * tolerance, until min(exp, iat + maxAge) without tolerance. Undefined when the token has no
 * end (no exp, no maxAge): such tokens are not cached, so the cache never outlives an exp.
 */
export function cacheWindow(
  payload: Record<string, unknown>,
  maxAge: number | undefined,
  tolerance: number,
): [from: number, until: number] | undefined {
  const { exp, nbf, iat } = payload
  let until = typeof exp === 'number' ? exp * 1000 : undefined
  if (maxAge !== undefined && typeof iat === 'number') {
    const limit = (iat + maxAge) * 1000
    if (until === undefined || limit < until) until = limit
  }
  if (until === undefined) return undefined
  let from = Number.NEGATIVE_INFINITY
  if (typeof nbf === 'number') from = nbf
  if (typeof iat === 'number' && iat > from) from = iat
  return [(from - tolerance) * 1000, until]
}

/** Validates the `cache` option: false/undefined (off), true (default size) or a positive integer. */
export function cacheSizeOption(value: unknown): number {
  if (value === undefined || value === false) return 0
  if (value === true) return DEFAULT_CACHE_SIZE
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `\`cache\` must be true, false or a positive integer (entries), got ${String(value)}`,
    )
  }
  return value
}
