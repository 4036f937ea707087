// Run by `npm run test:pack` against the installed tarball, compiled and run as ESM and as CJS.
import {
  BoundedLoadRing,
  ConsistentHashError,
  HashRing,
  jumpHash,
  Maglev,
  RendezvousHash,
} from '@hotpath/consistent-hash'

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`usage check failed: ${what}`)
}

const nodes = ['cache-a', 'cache-b', { id: 'cache-c', weight: 2 }]
const ring = new HashRing(nodes)
const owner: string = ring.get('user:42')
assert(['cache-a', 'cache-b', 'cache-c'].includes(owner), 'ring.get returns a node id')
assert(new Set(ring.getN('user:42', 3)).size === 3, 'getN returns distinct nodes')
assert(jumpHash('order:1001', 16) === 4, 'jumpHash matches the Guava-compatible golden value')
assert(new RendezvousHash(['a', 'b']).get('k') !== undefined, 'rendezvous answers')
assert(typeof new Maglev(['a', 'b', 'c']).get('k') === 'string', 'maglev answers')
assert(typeof new BoundedLoadRing(['w1', 'w2', 'w3']).assign('stream:7') === 'string', 'bounded loads assign')
try {
  new HashRing([]).get('x')
  assert(false, 'empty ring throws')
} catch (err) {
  assert(err instanceof ConsistentHashError, 'empty ring throws ConsistentHashError')
}
console.log('consistent-hash ok')
