/**
 * Why a value left the cache, passed to `dispose` / `disposeAfter`:
 * `'evict'` (pushed out by `max` / `maxSize`, or `pop()`), `'set'` (overwritten, or a new value too
 * large for `maxEntrySize`), `'delete'` (`delete()` / `clear()`), `'expire'` (TTL ran out and the
 * entry was removed), `'fetch'` (a `fetch()` failed or resolved to `undefined` and the stale value
 * was dropped).
 */
export type DisposeReason = 'evict' | 'set' | 'delete' | 'expire' | 'fetch'

/** Called once per value that leaves the cache, after the cache is consistent again. */
export type Disposer<K, V> = (value: V, key: K, reason: DisposeReason) => void

/** Returns the size of an entry (a positive integer, in whatever unit `maxSize` uses). */
export type SizeCalculator<K, V> = (value: V, key: K) => number

/** The clock: anything with `now()` returning milliseconds (`performance` by default). */
export interface Perf {
  /** The current time in milliseconds. */
  now(): number
}

/** Options a `fetchMethod` receives; it may change `options.ttl`, `options.size`, ... to affect how the result is stored. */
export interface FetcherOptions<K, V, FC = unknown> {
  /** Aborted when the cache no longer wants the result (evicted, deleted, replaced, caller's signal). */
  signal: AbortSignal
  /** The effective options of this `fetch()`; edit `ttl`, `size`, ... to change how the result is stored. */
  options: FetcherFetchOptions<K, V, FC>
  /** The `context` passed to `fetch()`. */
  context: FC | undefined
}

/** Loads a value for `fetch()`. Resolving to `undefined` means "no value" (the key is dropped). */
export type Fetcher<K, V, FC = unknown> = (
  key: K,
  staleValue: V | undefined,
  options: FetcherOptions<K, V, FC>,
) => FetchResult<V>

// biome-ignore lint/suspicious/noConfusingVoidType: lru-cache's signature, so `async () => {}` fetchers type-check
type FetchResult<V> = Promise<V | undefined | void> | V | undefined | void

/** Options a `memoMethod` receives. */
export interface MemoizerOptions<K, V, FC = unknown> {
  /** The effective options of this `memo()`; edit `ttl`, `size`, ... to change how the result is stored. */
  options: MemoizerMemoOptions<K, V>
  /** The `context` passed to `memo()`. */
  context: FC | undefined
}

/** Computes a value synchronously for `memo()`. */
export type Memoizer<K, V, FC = unknown> = (
  key: K,
  staleValue: V | undefined,
  options: MemoizerOptions<K, V, FC>,
) => V

/** Per-call overrides for `get()`. */
export interface GetOptions {
  /** Return a stale value (once) instead of `undefined`. */
  allowStale?: boolean | undefined
  /** Restart the entry's TTL on this read. */
  updateAgeOnGet?: boolean | undefined
  /** Keep a stale entry in the cache when a read finds it. */
  noDeleteOnStaleGet?: boolean | undefined
}

/** Per-call overrides for `peek()`. */
export interface PeekOptions {
  /** Return a stale value instead of `undefined` (`peek()` never deletes it). */
  allowStale?: boolean | undefined
}

/** Per-call overrides for `has()`. */
export interface HasOptions {
  /** Restart the entry's TTL when `has()` finds it fresh. */
  updateAgeOnHas?: boolean | undefined
}

/** Per-call options for `set()`. */
export interface SetOptions<K, V> {
  /** Time to live in ms for this entry (`0` or `Infinity`: never expires). */
  ttl?: number | undefined
  /** When the TTL started, in the clock's milliseconds (default: now). */
  start?: number | undefined
  /** The entry's size, instead of calling `sizeCalculation`. */
  size?: number | undefined
  /** Computes this entry's size when `size` is not given (overrides the cache's `sizeCalculation`). */
  sizeCalculation?: SizeCalculator<K, V> | undefined
  /** Do not call `dispose` for the value this write replaces. */
  noDisposeOnSet?: boolean | undefined
  /** Keep the existing TTL when updating an existing key. */
  noUpdateTTL?: boolean | undefined
}

/** The options object a `fetchMethod` sees (and may edit). */
// biome-ignore lint/correctness/noUnusedVariables: FC keeps the shape of lru-cache's generic signature
export interface FetcherFetchOptions<K, V, FC = unknown> extends GetOptions, Omit<SetOptions<K, V>, 'start'> {
  /** Keep the stale value in the cache when the load rejects. */
  noDeleteOnFetchRejection?: boolean | undefined
  /** Resolve to the stale value (if any) when the load rejects. */
  allowStaleOnFetchRejection?: boolean | undefined
  /** Keep waiting for (and store) the load's result even if the fetch is aborted. */
  ignoreFetchAbort?: boolean | undefined
  /** Resolve to the stale value when aborted, and still store the load's result when it lands. */
  allowStaleOnFetchAbort?: boolean | undefined
  /** The caller's abort signal (forwarded to the `fetchMethod`'s own signal). */
  signal?: AbortSignal | undefined
}

/** Options for `fetch()`. */
export interface FetchOptions<K, V, FC = unknown> extends FetcherFetchOptions<K, V, FC> {
  /** Load even if a fresh value is cached (an in-flight load is still shared). */
  forceRefresh?: boolean | undefined
  /** Passed through to `fetchMethod` as `options.context`. */
  context?: FC | undefined
}

/** The options object a `memoMethod` sees. */
export interface MemoizerMemoOptions<K, V> extends GetOptions, SetOptions<K, V> {}

/** Options for `memo()`. */
export interface MemoOptions<K, V, FC = unknown> extends MemoizerMemoOptions<K, V> {
  /** Recompute even if a fresh value is cached. */
  forceRefresh?: boolean | undefined
  /** Passed through to `memoMethod` as `options.context`. */
  context?: FC | undefined
}

/** A serialisable entry, as produced by `dump()` / `info()` and consumed by `load()`. */
export interface Entry<V> {
  /** The cached value. */
  value: V
  /** `dump()`: the entry's TTL; `info()`: the remaining TTL. */
  ttl?: number
  /** The entry's size (only in caches that track sizes). */
  size?: number
  /** A `Date.now()`-based timestamp, portable across processes. */
  start?: number
}

/** Counters returned by `stats()`. */
export interface LRUCacheStats {
  /** Lookups (`get`, `fetch`, `memo`, `find`) answered from the cache. */
  hits: number
  /** Lookups that found nothing usable. */
  misses: number
  /** Values stored (`set`, `load`, resolved `fetch`, `memo`). */
  sets: number
  /** Entries pushed out by `max` / `maxSize` / `resize` / `pop` (dispose reason `'evict'`). */
  evictions: number
  /** Stale entries removed (dispose reason `'expire'`). */
  expirations: number
  /** `hits / (hits + misses)`, 0 before the first lookup. */
  hitRatio: number
}

/**
 * Constructor options. Same names and meaning as npm `lru-cache` 11; at least one of `max`,
 * `maxSize` or `ttl` is required.
 */
export interface LRUCacheOptions<K, V, FC = unknown> {
  /** Most entries kept; the least recently used is evicted beyond it. `0`/`Infinity`: no count limit. */
  max?: number | undefined
  /** Most total size kept (sizes from `sizeCalculation` or `set(k, v, { size })`). */
  maxSize?: number | undefined
  /** Largest single entry stored (default `maxSize`); bigger values are not stored. */
  maxEntrySize?: number | undefined
  /** Default `(value, key) => size` for entries set without an explicit `size`; needs `maxSize` or `maxEntrySize`. */
  sizeCalculation?: SizeCalculator<K, V> | undefined
  /** Default time to live in ms (`0`/`Infinity`: entries never expire unless `set` gives a ttl). */
  ttl?: number | undefined
  /**
   * Cache the default clock's reading until the current task ends when > 0 (default 1), which
   * makes TTL checks nearly free; `0` reads the clock on every check. Injected clocks are always read.
   */
  ttlResolution?: number | undefined
  /** Remove expired entries proactively, with a single unref'd timer for the whole cache. */
  ttlAutopurge?: boolean | undefined
  /** Restart an entry's TTL whenever `get()` reads it (default `false`). */
  updateAgeOnGet?: boolean | undefined
  /** Restart an entry's TTL whenever `has()` finds it (default `false`). */
  updateAgeOnHas?: boolean | undefined
  /**
   * Return a stale value (once) instead of `undefined` (default `false`); with `fetch()` this gives
   * stale-while-revalidate.
   */
  allowStale?: boolean | undefined
  /** Keep stale entries that `get()` finds instead of deleting them (default `false`). */
  noDeleteOnStaleGet?: boolean | undefined
  /** Keep an entry's existing TTL when `set()` overwrites it (default `false`). */
  noUpdateTTL?: boolean | undefined
  /** Do not call `dispose` / `disposeAfter` for a value replaced by `set()` (default `false`). */
  noDisposeOnSet?: boolean | undefined
  /** Called with `(value, key, reason)` for each value that leaves the cache. */
  dispose?: Disposer<K, V> | undefined
  /** Called right after `dispose`, with the same arguments (kept for lru-cache compatibility). */
  disposeAfter?: Disposer<K, V> | undefined
  /** Loads values for `fetch()`: `(key, staleValue, { signal, options, context })`; without it `fetch()` acts like `get()`. */
  fetchMethod?: Fetcher<K, V, FC> | undefined
  /** Computes values synchronously for `memo()`: `(key, staleValue, { options, context })`; required to use `memo()`. */
  memoMethod?: Memoizer<K, V, FC> | undefined
  /** Keep the stale value in the cache when a `fetchMethod` load rejects (default `false`). */
  noDeleteOnFetchRejection?: boolean | undefined
  /** Resolve `fetch()` to the stale value (if any) when the load rejects (default `false`). */
  allowStaleOnFetchRejection?: boolean | undefined
  /** On abort, resolve `fetch()` to the stale value and still store the load's late result (default `false`). */
  allowStaleOnFetchAbort?: boolean | undefined
  /** Ignore aborts: keep waiting for the load and store its result (default `false`). */
  ignoreFetchAbort?: boolean | undefined
  /** Size counted for an in-flight fetch in a `maxSize` cache (default 1). */
  backgroundFetchSize?: number | undefined
  /**
   * Count hits and misses for `stats()` (default `false`: counting misses costs an increment on
   * the cheapest path there is, a lookup that finds nothing).
   */
  stats?: boolean | undefined
  /** The clock (milliseconds). Default `performance`, else `Date`. */
  perf?: Perf | undefined
}
