export {
  type BoundedLoadMove,
  BoundedLoadRing,
  type BoundedLoadRingOptions,
} from './bounded-load-ring.js'
export { ConsistentHashError, type ConsistentHashErrorCode } from './errors.js'
export { HashRing, type HashRingOptions, type RingPoint } from './hash-ring.js'
export { jumpHash } from './jump-hash.js'
export type { KetamaCompat } from './ketama.js'
export { Maglev, type MaglevOptions } from './maglev.js'
export { murmur3_32, murmur3_128 } from './murmur3.js'
export type { HashFunction, NodeInput, RingNode } from './nodes.js'
export { RendezvousHash, type RendezvousHashOptions } from './rendezvous.js'
