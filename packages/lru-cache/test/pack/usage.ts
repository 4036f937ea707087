// Run by `npm run test:pack` against the installed tarball, compiled and run as ESM and as CJS.
// Also pins the lru-cache-compatible `LRUCache.Options` namespace types (a d.ts bundling bug once
// made them circular).
import { LRUCache, LRUCacheError } from '@hotpath/lru-cache'

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`usage check failed: ${what}`)
}

const options: LRUCache.Options<string, number> = { max: 2 }
const setOptions: LRUCache.SetOptions<string, number> = {}
const cache = new LRUCache<string, number>(options)
cache.set('a', 1, setOptions).set('b', 2).set('c', 3)
assert(!cache.has('a') && cache.get('b') === 2 && cache.size === 2, 'evicts the least recently used')
assert([...cache.keys()].join() === 'b,c', 'keys most recent first')
assert([...cache.rkeys()].join() === 'c,b', 'rkeys least recent first')
const reasons: LRUCache.DisposeReason[] = []
const withDispose = new LRUCache<string, number>({ max: 1, dispose: (_v, _k, r) => reasons.push(r) })
withDispose.set('x', 1).set('y', 2)
assert(reasons.join() === 'evict', 'dispose reports the reason')
try {
  new LRUCache({ max: -1 })
  assert(false, 'max -1 throws')
} catch (err) {
  assert(
    err instanceof RangeError || err instanceof TypeError || err instanceof LRUCacheError,
    'argument error',
  )
}
const loader = new LRUCache<string, string>({ max: 10, fetchMethod: async (k) => k.toUpperCase() })
loader
  .fetch('hi')
  .then((v) => {
    assert(v === 'HI', 'fetch loads through fetchMethod')
    console.log('lru-cache ok')
  })
  .catch((err) => {
    console.error(err)
    process.exit(1)
  })
