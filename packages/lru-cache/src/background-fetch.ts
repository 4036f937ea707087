import type { LRUCacheErrorCode } from './errors.js'
import { LRUCacheError } from './errors.js'
import type { DisposeReason } from './options.js'

/**
 * The placeholder stored in a value slot while `fetchMethod` runs. It is a private class, so
 * `instanceof` tells it apart from any user value (lru-cache tags a Promise with `__` fields
 * instead, which a user value could imitate).
 */
export class BackgroundFetch<V> {
  readonly controller: AbortController
  /** The value being refreshed, served to `allowStale` readers meanwhile. */
  readonly stale: V | undefined
  promise!: Promise<V | undefined>
  /** Whether the promise was handed to a caller: only then may a failure reject it. */
  returned = false
  /** Set once the load has resolved or rejected: aborting after that would only confuse listeners. */
  settled = false

  constructor(controller: AbortController, stale: V | undefined) {
    this.controller = controller
    this.stale = stale
  }

  abort(reason: DisposeReason): void {
    if (this.settled || this.controller.signal.aborted) return
    this.controller.abort(abortError(reason))
  }
}

const abortCodes: Record<DisposeReason, [LRUCacheErrorCode, string]> = {
  evict: ['ERR_LRU_EVICTED', 'fetch aborted: the entry was evicted'],
  set: ['ERR_LRU_REPLACED', 'fetch aborted: set() replaced the entry'],
  delete: ['ERR_LRU_DELETED', 'fetch aborted: the entry was deleted'],
  fetch: ['ERR_LRU_DELETED', 'fetch aborted: the entry was deleted'],
  expire: ['ERR_LRU_EXPIRED', 'fetch aborted: the entry expired'],
}

function abortError(reason: DisposeReason): LRUCacheError {
  const [code, message] = abortCodes[reason]
  return new LRUCacheError(code, message)
}
