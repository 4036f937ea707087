export type { LRUCacheErrorCode } from './errors.js'
export { LRUCacheError } from './errors.js'
export { LRUCache } from './lru-cache.js'
export type {
  DisposeReason,
  Disposer,
  Entry,
  Fetcher,
  FetcherFetchOptions,
  FetcherOptions,
  FetchOptions,
  GetOptions,
  HasOptions,
  LRUCacheOptions,
  LRUCacheStats,
  Memoizer,
  MemoizerMemoOptions,
  MemoizerOptions,
  MemoOptions,
  PeekOptions,
  Perf,
  SetOptions,
  SizeCalculator,
} from './options.js'
